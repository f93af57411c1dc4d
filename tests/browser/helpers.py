"""Small sites built on the fly for browser tests, and clicks as a person makes them."""

from __future__ import annotations

from pathlib import Path

from workshop_kit.pytest_plugin import build_site, serve_directory

SITE_CONFIG = """\
site_name: Checklist test site
site_url: {site_url}  # Material's instant navigation only follows links to this host and port
theme:
  name: material
  font: false
  language: {lang}
  features: [{features}]
plugins:
  - workshop
markdown_extensions:
  - tables
  - admonition
  - attr_list
  - pymdownx.superfences
  - pymdownx.tasklist:
      custom_checkbox: true
nav:
{nav}
"""


def build_small_site(root: Path, pages: dict[str, str], *, instant: bool = True, lang: str = "en",
                     site_url: str = "http://127.0.0.1:8000/") -> Path:
    """Writes `pages` into root/docs, builds strictly into root/site and returns that folder."""
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (docs / name).write_text(text)
    nav = "\n".join(f"  - {name}" for name in pages)
    features = "navigation.instant" if instant else ""
    config = root / "mkdocs.yml"
    config.write_text(SITE_CONFIG.format(features=features, nav=nav, lang=lang, site_url=site_url))
    result = build_site(config, root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site"


def click_checkbox(page, item) -> None:
    """Clicks where a person sees the checkbox: Material draws it as the indicator's ::before."""
    item.scroll_into_view_if_needed()
    point = item.evaluate("""li => {
        const indicator = li.querySelector(':scope > label .task-list-indicator');
        const style = getComputedStyle(indicator, '::before');
        const box = li.getBoundingClientRect();
        return {x: box.x + parseFloat(style.left) + parseFloat(style.width) / 2,
                y: box.y + parseFloat(style.top) + parseFloat(style.height) / 2};
    }""")
    page.mouse.click(point["x"], point["y"])


def ready(page) -> None:
    """Waits until the page's features (downloaded as the page needs them) are set up."""
    page.wait_for_selector("[data-md-component=container][data-wk-ready]", state="attached")


def item(page, text: str):
    """The checklist item whose own text (without nested items or badge) is `text`."""
    ready(page)
    wk_id = page.evaluate("""text => {
        for (const li of document.querySelectorAll('li.task-list-item')) {
            const copy = li.cloneNode(true);
            copy.querySelectorAll('ul, ol, .wk-marker').forEach(node => node.remove());
            if (copy.textContent.replace(/\\s+/g, ' ').trim() === text) return li.dataset.wkId;
        }
        return null;
    }""", text)
    assert wk_id, f"no checklist item '{text}'"
    return page.locator(f'li[data-wk-id="{wk_id}"]')


def is_ticked(page, text: str) -> bool:
    return item(page, text).locator(":scope > label input").is_checked()


def serve_small_site(root: Path, pages: dict[str, str], **options):
    """Starts the server first so the site can be built with its real address as site_url."""
    (root / "site").mkdir(parents=True, exist_ok=True)
    server, url = serve_directory(root / "site")
    build_small_site(root, pages, site_url=url, **options)
    return server, url
