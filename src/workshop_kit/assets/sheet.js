// Printable speaker sheet: a page whose `.wk-sheet` block links to the workshop's agenda and
// speaker guide. The pages are fetched and shown in full (speaker notes and all), the guide's
// checklist with the ticks saved on the guide itself, ready to print on A4.
// Without JavaScript the block stays what it is written as: links to those pages.

import { initChecklists } from "./checklist.js";
import { format, headLabels, pagePath } from "./store.js";

function absolutise(node, base) {
  for (const element of node.querySelectorAll("[href], [src]")) {
    for (const attribute of ["href", "src"]) {
      const value = element.getAttribute(attribute);
      if (value && !value.startsWith("#")) element.setAttribute(attribute, new URL(value, base).href);
    }
  }
}

async function part(url, text) {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const article = page.querySelector("article.md-content__inner") || page.querySelector("article");
    if (!article) throw new Error("no article in the page");
    const section = document.createElement("section");
    section.className = "wk-sheet-part";
    section.dataset.wkPage = pagePath(url.href);
    section.append(...[...article.childNodes].map((node) => document.importNode(node, true)));
    section.querySelectorAll(".md-content__button, .md-source-file").forEach((node) => node.remove());
    absolutise(section, url);
    section.querySelectorAll("details").forEach((details) => { details.open = true; });
    return section;
  } catch (error) {
    console.warn(`workshop-kit: speaker sheet could not load ${url.href}`, error);
    const failed = document.createElement("p");
    failed.className = "wk-sheet-failed";
    failed.textContent = format(text["sheet.failed"], { url: url.href });
    return failed;
  }
}

async function compose(sheet) {
  const text = headLabels();
  const status = Object.assign(document.createElement("p"), { className: "wk-sheet-status", textContent: text["sheet.loading"] || "" });
  status.setAttribute("role", "status");
  sheet.append(status);
  const urls = [...sheet.querySelectorAll("a[href]")].map((link) => new URL(link.getAttribute("href"), location.href));
  const parts = await Promise.all(urls.map((url) => part(url, text)));
  status.remove();
  sheet.append(...parts);
  parts.filter((node) => node.matches(".wk-sheet-part")).forEach(initChecklists);
  sheet.dataset.wkReady = "done";
}

export function initSheet(doc) {
  for (const sheet of doc.querySelectorAll(".wk-sheet:not([data-wk-ready])")) {
    sheet.dataset.wkReady = "loading";
    compose(sheet);
  }
}
