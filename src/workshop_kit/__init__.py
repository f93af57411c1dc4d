"""Workshop Kit: MkDocs tooling for hands-on workshops.

Checklists and timing tables are Python-Markdown extensions (`workshop_kit.checklist`,
`workshop_kit.timing.extension`); `workshop_kit.plugin` wires them into MkDocs.
"""

__version__ = "0.1.0"
