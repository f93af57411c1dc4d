"""The MkDocs wiring: the `workshop` plugin, which adds the extensions to the Markdown of every
page, runs the page checks in the build, ships the assets, writes the kits' zips, mends
mkdocs-static-i18n's language links and notebook pages, and lays out the speaker sheet.

What a move to another generator would have to redo.
"""
