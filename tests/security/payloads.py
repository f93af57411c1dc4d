"""A page that feeds script payloads through every feature of the plugin."""

from site_yaml import SUPERFENCES

PAYLOAD_PAGE = """\
# Payloads

## Checklist

- [ ] INTERACTIVE: <script>window.pwned = "checklist script"</script> tick me
- [ ] <img src=x onerror="window.pwned = 'checklist img'"> and me
    - [ ] nested <svg onload="window.pwned = 'nested svg'"></svg>

## Agenda

/// timing | <script>window.pwned = "caption"</script>
    start: "09:00"

| Duration | Session <b onmouseover="window.pwned = 'header'">h</b> | Kind |
| --- | --- | --- |
| 30 min | <img src=x onerror="window.pwned = 'cell'"> | talk |
| 30 min | <script>window.pwned = "cell script"</script> | hands-on |
///

## Code

```bash skip="<img src=x onerror=window.pwned='skip'>" title="<script>window.pwned='title'</script>"
echo hi
```
"""

CONFIG = """\
site_name: Payloads
site_url: {site_url}
theme:
  name: material
  font: false
  features: [navigation.instant]
plugins:
  - workshop
markdown_extensions:
  - tables
  - attr_list
  - pymdownx.tasklist:
      custom_checkbox: true
""" + SUPERFENCES + """\
"""
