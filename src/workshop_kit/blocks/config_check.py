"""`yaml`, `toml` and `json` blocks: parsed, compared with the project's file, checked by DVC.

A config block is not executed, but it can still drift from the code it describes. So it must
parse; when its title names a file of the project (`title="params.yaml"`), it must say the same
as that file at that point of the session; and a `dvc.yaml` must satisfy DVC's own schema.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import yaml

from .model import Block


def parse(lang: str, text: str):
    if lang in ("yaml", "yml"):
        return yaml.safe_load(text)
    if lang == "toml":
        return tomllib.loads(text)
    return json.loads(text)


def _dvc_schema_problem(data) -> str | None:
    from dvc.schema import COMPILED_MULTI_STAGE_SCHEMA  # imported late: DVC is slow to import
    from voluptuous import Invalid

    try:
        COMPILED_MULTI_STAGE_SCHEMA(data)
    except Invalid as err:
        return f"not a valid dvc.yaml according to DVC's schema: {err}"
    return None


def check_config(block: Block, workdir: Path) -> str | None:
    """None when the block is sound, else what is wrong with it, in a sentence."""
    try:
        data = parse(block.lang, block.code)
    except Exception as err:  # each parser has its own error type; all mean "does not parse"
        return f"the {block.lang} block does not parse: {err}"
    name = block.title.strip()
    target = (workdir / name) if name else None
    if Path(name).name == "dvc.yaml" or (target is None and isinstance(data, dict) and "stages" in data):
        problem = _dvc_schema_problem(data)
        if problem:
            return problem
    if target is not None and target.is_file():
        try:
            actual = parse(block.lang, target.read_text(encoding="utf-8"))
        except Exception as err:
            return f"the project's {name} does not parse: {err}"
        if actual != data:
            return (f"the block titled '{name}' differs from the project's {name}; "
                    f"make them the same (the block shows what the reader's file contains at this step)")
    return None


def config_diff(block: Block, workdir: Path) -> str:
    """What a report shows for a config block that failed: a unified diff from the project's file
    (when the block is titled with one) to the block; else the block itself."""
    import difflib

    name = block.title.strip()
    target = (workdir / name) if name else None
    if target is None or not target.is_file():
        return block.code
    try:
        theirs = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return block.code
    diff = "".join(difflib.unified_diff(theirs.splitlines(True), block.code.splitlines(True),
                                        f"project/{name}", f"page/{name} (line {block.line})"))
    return diff or block.code
