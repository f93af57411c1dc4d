// Browser state for Workshop Kit: namespaced per site and page, and never able to break a page.
// Corrupted, foreign or old-schema values are ignored with a console warning; a full quota only warns.

const VERSION = 1;

// The plugin writes the page's base on Material's container, which instant navigation replaces
// with each new page's; Material's own config keeps the first page's relative base.
function siteRoot() {
  const container = document.querySelector("[data-md-component=container][data-wk-base]");
  let base = container ? container.dataset.wkBase : null;
  if (base === null) {
    const config = document.getElementById("__config");
    try { base = config ? JSON.parse(config.textContent).base || "." : "."; } catch (e) { base = "."; }
  }
  return new URL(base.endsWith("/") ? base : base + "/", location.href);
}

/** The page's path inside the site, e.g. "fr/gitops-dvc/speaker-guide/" (of `url`, or this page). */
export function pagePath(url = location.href) {
  const root = siteRoot().pathname;
  const path = new URL(url, location.href).pathname;
  return path.startsWith(root) ? path.slice(root.length) : path;
}

/** The page's path without its language prefix ("fr/gitops-dvc/agenda/" -> "gitops-dvc/agenda/"):
 * the key of state both languages share (ticks, the agenda's run and shift). */
export function neutralPath(path = pagePath()) {
  const lang = document.documentElement.lang;
  return lang && path.startsWith(lang + "/") ? path.slice(lang.length + 1) : path;
}

/** UI strings the plugin put in the page's head (view and sheet labels), by key. */
export function headLabels() {
  const meta = document.querySelector('meta[name="wk-labels"]');
  try { return JSON.parse(meta ? meta.content : "{}"); } catch (e) { return {}; }
}

export function namespace() {
  const meta = document.querySelector('meta[name="wk-storage-prefix"]');
  return "wk:" + (meta ? meta.content : siteRoot().pathname);
}

export function storageKey(kind, page = pagePath(), id = "") {
  return `${namespace()}:${kind}:${page}${id ? "#" + id : ""}`;
}

/** Reads a JSON object written by save(); anything else is reported and ignored. */
export function load(key) {
  let raw = null;
  try { raw = localStorage.getItem(key); } catch (e) { console.warn("workshop-kit: storage unavailable", e); return null; }
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw);
    if (value && typeof value === "object" && value.v === VERSION && value.data && typeof value.data === "object") {
      return value.data;
    }
    console.warn(`workshop-kit: ignoring saved state under ${key}: unknown format`);
  } catch (e) {
    console.warn(`workshop-kit: ignoring saved state under ${key}: not JSON`);
  }
  return null;
}

export function save(key, data) {
  try {
    localStorage.setItem(key, JSON.stringify({ v: VERSION, data, saved: Date.now() }));
    return true;
  } catch (e) {
    console.warn(`workshop-kit: could not save state under ${key}`, e);
    return false;
  }
}

export function remove(key) {
  try { localStorage.removeItem(key); } catch (e) { /* nothing to remove */ }
}

/** Material's document$ emits on load and after every instant navigation; plain pages get one call. */
export function onPage(callback) {
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => callback(document));
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => callback(document));
  } else {
    callback(document);
  }
}

export function labels(element) {
  try { return JSON.parse(element.dataset.labels || "{}"); } catch (e) { return {}; }
}

export function format(template, values) {
  return String(template || "").replace(/\{(\w+)\}/g, (_, name) => (name in values ? values[name] : ""));
}
