"""Python-Markdown extensions that run in any Python-Markdown host, MkDocs or not: checklists,
timing tables, speaker notes, the code-fence bindings, and the UI strings they render.

What a move to another generator keeps. Loadable by short name (`markdown.extensions` entry
points): `workshop_checklist`, `workshop_timing`, `workshop_speaker_notes`.
"""
