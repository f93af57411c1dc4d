"""Build-free checks of a site's sources: what `workshop check` runs, in seconds.

Each module reads pages and returns `Problem`s that name the file and line and say what to do;
none of them needs MkDocs, so the same checks serve the CLI, the test suite and other tools.
"""

from .page import CHECKS
from .problem import Problem
from .run import run_checks

__all__ = ["CHECKS", "Problem", "run_checks"]
