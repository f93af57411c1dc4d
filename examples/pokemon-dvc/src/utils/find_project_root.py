"""The project's root, wherever a stage is started from (DVC runs stages from the root; a reader may not)."""

from pathlib import Path


def find_project_root(start: Path | None = None, marker: str = "params.yaml") -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / marker).is_file():
            return folder
    raise FileNotFoundError(f"no {marker} in {here} or any folder above it: run the stage inside the project")
