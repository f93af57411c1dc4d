"""The participant kit: each workshop's starting project (and its solution) as a download.

`config` reads which example project a workshop starts from and which files its participants
write; `archive` turns that into reproducible zips; `box` writes the "Get the project" box that
pages show and the tests run.
"""
