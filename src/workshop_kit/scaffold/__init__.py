"""`workshop new`: a new workshop's pages in every language, its example project and nav entries."""

from .workshop import ScaffoldError, Workshop, create_workshop

__all__ = ["ScaffoldError", "Workshop", "create_workshop"]
