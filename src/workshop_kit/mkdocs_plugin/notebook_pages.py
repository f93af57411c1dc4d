"""Keeps notebooks pages when mkdocs-static-i18n and mkdocs-jupyter are used together.

mkdocs-jupyter marks `.ipynb` files as pages by wrapping them in its `NotebookFile`;
mkdocs-static-i18n then replaces every file with its own, last of all plugins, which drops the
wrapper, so a notebook would be copied as raw JSON to `notebook/index.html`. Wrapping again after
i18n, keeping the destination i18n chose, restores the page in every language.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files


def rewrap_notebooks(files: Files, config: MkDocsConfig) -> Files:
    try:
        from mkdocs_jupyter.plugin import NotebookFile
    except ImportError:  # mkdocs-jupyter not installed: notebooks are not pages on this site
        return files
    for file in list(files):
        if file.src_uri.endswith(".ipynb") and not isinstance(file, NotebookFile):
            page = NotebookFile(file, **config)
            page.dest_path, page.abs_dest_path, page.url = file.dest_path, file.abs_dest_path, file.url
            files.remove(file)
            files.append(page)
    return files
