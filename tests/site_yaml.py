"""mkdocs.yml fragments shared by the tests' throw-away sites (imported by name: tests/ is on
sys.path through tests/conftest.py)."""

# Every fence goes through the workshop's validator and formatter, as in the real mkdocs.yml.
SUPERFENCES = """\
  - pymdownx.superfences:
      custom_fences:
        - name: "*"
          class: highlight
          validator: !!python/name:workshop_kit.extensions.fences.validator
          format: !!python/name:workshop_kit.extensions.fences.formatter
"""
