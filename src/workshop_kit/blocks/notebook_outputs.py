"""A notebook's outputs as stored on its page, and as compared with a fresh run (nbval-style).

Stored: stdout, results and displays, cleaned of terminal noise (colours, carriage-return
progress bars). stderr is neither stored nor compared: it carries TensorFlow, absl and library
warnings that differ from machine to machine and are not what the page teaches.

Compared: stdout text and each result's or display's `text/plain`, after the sanitizers below
(timings, memory addresses, temporary paths, progress bars); for every other type (images, HTML)
only its presence. Image bytes are never compared. An output that offers the same picture in
several raster formats (PIL images come as PNG and JPEG) keeps only the lightest.
"""

from __future__ import annotations

import copy
import difflib
import re

IGNORED_STREAMS = {"stderr"}
COMPARED_TEXT = "text/plain"
RASTER = {"image/png", "image/jpeg", "image/gif", "image/webp"}

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_PROGRESS = re.compile(r"━|\d+/\d+ \[[=>.]*\]")  # Keras 3 and Keras 2 progress bars
_TIMING = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s?(?:ns|us|µs|ms|s|sec|seconds|min)(?:/(?:step|epoch|it))?\b")
_RATE = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s?(?:it|step)s?/s\b")
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")
_UNDER_TMP = re.compile(r"<tmp>/[^\s'\"),\]]*")
_TMP_PATH = re.compile(r"(?:/private)?/(?:tmp|var/folders)/[^\s'\"),\]]*")


def collapse_carriage_returns(text: str) -> str:
    """What a terminal leaves on screen: each line's text after its last carriage return."""
    text = text.replace("\r\n", "\n")
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


def clean_text(text: str) -> str:
    """Stored text: no colours, no overwritten progress lines."""
    return collapse_carriage_returns(_ANSI.sub("", text))


def sanitize(text: str, paths: tuple[str, ...] = ()) -> str:
    """Text as compared: run-to-run noise replaced by placeholders."""
    text = clean_text(text)
    for path in sorted((p for p in paths if p), key=len, reverse=True):
        text = text.replace(path, "<tmp>")
    # A path under the session's root (its TMPDIR, HOME...) is one placeholder, whatever follows.
    text = _UNDER_TMP.sub("<tmp>", text)
    lines = []
    for line in text.split("\n"):
        if _PROGRESS.search(line):
            continue
        line = _TMP_PATH.sub("<tmp>", line)
        line = _ADDRESS.sub("0x<address>", line)
        line = _RATE.sub("<rate>", line)
        line = _TIMING.sub("<time>", line)
        lines.append(line.rstrip())
    return "\n".join(lines).strip("\n")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def stored_outputs(outputs: list) -> list:
    """A run's outputs as the notebook keeps them: stderr dropped, consecutive streams merged,
    text cleaned, execution metadata removed."""
    kept: list = []
    for output in outputs:
        output = copy.deepcopy(output)
        kind = output.get("output_type")
        if kind == "stream":
            if output.get("name") in IGNORED_STREAMS:
                continue
            text = clean_text(_text(output.get("text", "")))
            if kept and kept[-1].get("output_type") == "stream" and kept[-1].get("name") == output.get("name"):
                kept[-1]["text"] = clean_text(kept[-1]["text"] + text)
            else:
                output["text"] = text
                kept.append(output)
            continue
        if kind in ("execute_result", "display_data"):
            data = output.get("data", {})
            if COMPARED_TEXT in data:
                data[COMPARED_TEXT] = clean_text(_text(data[COMPARED_TEXT]))
            images = sorted((len(_text(data[mime])), mime) for mime in data if mime in RASTER)
            for _, mime in images[1:]:  # the same picture twice (PIL offers PNG and JPEG): keep the lighter
                del data[mime]
                output.get("metadata", {}).pop(mime, None)
        kept.append(output)
    return [output for output in kept if output.get("output_type") != "stream" or output["text"]]


def comparable(outputs: list, paths: tuple[str, ...] = ()) -> list[tuple]:
    """What a comparison looks at: (kind, mime types, sanitized text) per output."""
    found: list[tuple] = []
    for output in stored_outputs(outputs):
        kind = output.get("output_type")
        if kind == "stream":
            text = sanitize(_text(output["text"]), paths)
            if text:
                found.append(("stream", output["name"], text))
        elif kind in ("execute_result", "display_data"):
            data = output.get("data", {})
            plain = sanitize(_text(data[COMPARED_TEXT]), paths) if COMPARED_TEXT in data else None
            kinds = sorted({"image" if mime.startswith("image/") else mime for mime in data})
            found.append((kind, ", ".join(kinds), plain))
        elif kind == "error":
            found.append(("error", output.get("ename", ""), sanitize(output.get("evalue", ""), paths)))
    return found


def render(found: list[tuple]) -> list[str]:
    """Comparable outputs as lines, for a diff."""
    lines = []
    for kind, what, text in found:
        lines.append(f"[{kind}: {what}]" if kind != "stream" else f"[{what}]")
        if text is not None:
            lines.extend(text.split("\n"))
    return lines


def diff(stored: list[tuple], ran: list[tuple], stored_name: str = "stored", ran_name: str = "this run") -> str:
    return "\n".join(difflib.unified_diff(render(stored), render(ran), stored_name, ran_name, lineterm=""))


def code_sources(notebook) -> list[str]:
    return [_text(cell.get("source", "")) for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"]


def with_outputs(notebook, outputs: list[list]) -> None:
    """Puts `outputs` (one list per code cell, as stored) into `notebook`'s code cells, numbered
    1, 2, 3... in order; volatile cell metadata (nbclient's `execution` timings) is removed."""
    cells = [cell for cell in notebook["cells"] if cell.get("cell_type") == "code"]
    if len(cells) != len(outputs):
        raise ValueError(f"{len(outputs)} cells of outputs for {len(cells)} code cells")
    for count, (cell, kept) in enumerate(zip(cells, outputs, strict=False), start=1):
        cell["execution_count"] = count
        cell["outputs"] = copy.deepcopy(kept)
        for output in cell["outputs"]:
            if output.get("output_type") == "execute_result":
                output["execution_count"] = count
        cell.get("metadata", {}).pop("execution", None)
