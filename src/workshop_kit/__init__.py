"""Workshop Kit: MkDocs tooling for hands-on workshops.

Checklists and timing tables are Python-Markdown extensions (`workshop_kit.extensions.checklist`,
`workshop_kit.extensions.timing.extension`); `workshop_kit.mkdocs_plugin.plugin` wires them into MkDocs.
"""

__version__ = "0.1.0"
