// The room's progress in the speaker view: read from the speaker's room server ("workshop room
// serve"), shown on the handout's step-check boxes (done, stuck, working, not started) and, on an
// agenda, as each kit's median pace and the time the median seat needs to finish.
// Speaker view only: nothing of it is in the page in the participant view. Seat names are put in the
// page only while "Show seats" is pressed (the projector shows counts). The server's address is kept
// for the site (localStorage), the speaker token for this tab only (sessionStorage). Every value
// from the server goes into the page as text.

import { format, headLabels, load, save, storageKey } from "./store.js";

const POLL_MS = 5000;
const TIMEOUT_MS = 8000;
const KIT = /^[a-z0-9-]{1,64}$/;
const STARTER = "-starter.zip";

let current = null; // the page's room: stopped when the next page is shown
let observer = null;
let made = 0; // ids of the panel's fields, unique per page

const addressKey = () => storageKey("room", "");
const tokenKey = () => storageKey("room-token", "");
const pad = (n) => String(n).padStart(2, "0");

/** The server's origin from what the speaker typed ("192.168.1.20:8765" gets http://), or null. */
export function parseAddress(text) {
  let value = String(text || "").trim();
  if (!value) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) value = "http://" + value;
  let url;
  try { url = new URL(value); } catch (e) { return null; }
  if (!["http:", "https:"].includes(url.protocol) || !url.hostname || url.username || url.password) return null;
  if (url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) return null;
  return url.origin;
}

/** The kit of a "Get the project" box: its starter zip's name without "-starter.zip", or null. */
export function kitOfBox(box) {
  for (const link of box.querySelectorAll("a[href]")) {
    let path;
    try { path = new URL(link.getAttribute("href"), location.href).pathname; } catch (e) { continue; }
    const name = decodeURIComponent(path.split("/").pop() || "");
    if (name.endsWith(STARTER)) {
      const kit = name.slice(0, -STARTER.length);
      return KIT.test(kit) ? kit : null;
    }
  }
  return null;
}

/** The page's step-check boxes with their kit and step: the n-th box after a kit's box is its step n. */
export function stepBoxes(root) {
  const found = [];
  let kit = null, step = 0;
  for (const element of root.querySelectorAll(".admonition.kit, details.kit, .wk-check")) {
    if (!element.classList.contains("wk-check")) {
      const name = kitOfBox(element);
      if (name && name !== kit) { kit = name; step = 0; }
      continue;
    }
    if (kit) found.push({ box: element, kit, step: ++step });
  }
  return found;
}

const names = (list) => (Array.isArray(list) ? list.map(String) : []);
const count = (row, name) => (Number.isFinite(row[name + "_count"]) ? row[name + "_count"] : names(row[name]).length);

/** Every seat of a kit's report (each seat is in one list of every step). */
export function seatsOf(kit) {
  const row = (kit.steps || [])[0];
  if (!row) return [];
  return [...new Set(["done", "stuck", "working", "not_started"].flatMap((name) => names(row[name])))];
}

export function median(values) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * A kit's projection: the median seat's number of done steps, the median pace (seconds per step,
 * null without samples) and the seconds the remaining steps take at that pace (null without pace).
 */
export function projection(kit) {
  const seats = seatsOf(kit);
  const steps = Array.isArray(kit.steps) ? kit.steps : [];
  const done = median(seats.map((seat) => steps.filter((row) => names(row.done).includes(seat)).length));
  const total = Number.isFinite(kit.total) ? kit.total : steps.length;
  const pace = Number.isFinite(kit.median_pace_seconds) && kit.pace_samples > 0 ? kit.median_pace_seconds : null;
  const remaining = done === null ? total : Math.max(0, total - done);
  return { done: done ?? 0, total, remaining, pace, left: pace === null ? null : remaining * pace,
    stuck: steps.reduce((sum, row) => sum + count(row, "stuck"), 0) };
}

function isReport(body) {
  return Boolean(body && typeof body === "object" && Array.isArray(body.kits) &&
    body.kits.every((kit) => kit && typeof kit.kit === "string" && Array.isArray(kit.steps) &&
      kit.steps.every((row) => row && typeof row === "object" && Number.isFinite(row.step))));
}

function isLoopback(hostname) {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function setup(doc, boxes, timing) {
  const text = headLabels();
  const label = (key) => text["room." + key] || "";
  const lang = document.documentElement.lang || "en";
  let plurals = null;
  try { plurals = new Intl.PluralRules(lang); } catch (e) { plurals = null; }
  const counted = (key, n) => {
    const one = plurals ? plurals.select(n) === "one" : n === 1;
    return format((one && text[`room.${key}_one`]) || label(key), { n });
  };
  const decimal = (value) => {
    try { return new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(value); } catch (e) { return String(Math.round(value * 10) / 10); }
  };
  const clockStyle = timing ? timing.dataset.clock || "24h" : "24h";
  const clock = (date) => {
    if (clockStyle === "12h") return `${date.getHours() % 12 || 12}:${pad(date.getMinutes())} ${date.getHours() < 12 ? "AM" : "PM"}`;
    return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  };
  const kits = [...new Set(boxes.map((entry) => entry.kit))];
  const filter = !timing && kits.length === 1 ? kits[0] : null; // else every kit the room follows

  const state = { visible: false, address: null, token: null, data: null, showSeats: false, timer: null,
    controller: null, generation: 0, lines: [] };
  const make = (tag, name, props) => Object.assign(doc.createElement(tag), name ? { className: name } : {}, props || {});
  const id = ++made;

  // The panel: the form while not connected, the room's line and its buttons once connected.
  const panel = make("div", "wk-room");
  panel.setAttribute("role", "region");
  panel.setAttribute("aria-label", label("region"));
  const form = make("form", "wk-room-form", { noValidate: true });
  const field = (name, key, props) => {
    const wrap = make("p", `wk-room-field wk-room-field-${name}`);
    const input = make("input", `wk-room-${name}`, { id: `wk-room-${name}-${id}`, name, ...props });
    const caption = make("label", "", { htmlFor: input.id, textContent: label(key) });
    wrap.append(caption, input);
    form.append(wrap);
    return input;
  };
  const addressInput = field("address", "address", { type: "text", inputMode: "url", autocomplete: "url",
    spellcheck: false, placeholder: "http://192.168.1.20:8765" });
  const tokenInput = field("token", "token", { type: "password", autocomplete: "off", spellcheck: false });
  const connectButton = make("button", "md-button wk-room-connect", { type: "submit", textContent: label("connect") });
  form.append(connectButton);
  const hint = make("p", "wk-room-hint");
  const [before, after = ""] = label("hint").split("{command}");
  hint.append(before, make("code", "", { textContent: `workshop room serve --origin ${location.origin}` }), after);
  form.append(hint);

  const live = make("div", "wk-room-live");
  const summary = make("p", "wk-room-summary");
  const seatsButton = make("button", "md-button wk-room-seats-toggle", { type: "button", textContent: label("show_seats") });
  seatsButton.setAttribute("aria-pressed", "false");
  const disconnectButton = make("button", "md-button wk-room-disconnect", { type: "button", textContent: label("disconnect") });
  const buttons = make("p", "wk-room-buttons");
  buttons.append(seatsButton, disconnectButton);
  const kitList = make("ul", "wk-room-kits");
  live.append(summary, buttons);
  if (timing) live.append(kitList);
  const status = make("p", "wk-room-status");
  status.setAttribute("role", "status");
  panel.append(form, live, status);

  // Always in the page (a live region added with its text may go unsaid); empty, it takes no room.
  const say = (message) => { status.textContent = message || ""; };
  const clearLines = () => { state.lines.forEach((line) => line.remove()); state.lines = []; };

  function place() {
    if (timing) {
      const clockBar = timing.querySelector(":scope > .wk-clock");
      if (clockBar) clockBar.after(panel); else timing.prepend(panel);
    } else {
      boxes[0].box.before(panel);
    }
  }

  function stepLine(entry, kit) {
    const line = make("p", "wk-room-step");
    line.append(make("span", "wk-room-label", { textContent: label("step_prefix") }), " ");
    if (!kit) {
      line.append(make("span", "wk-room-none", { textContent: label("no_results") }));
      return line;
    }
    const row = kit.steps.find((candidate) => candidate.step === entry.step) || { step: entry.step, not_started: seatsOf(kit) };
    const parts = ["done", "stuck", "working", "not_started"].map((name) => {
      const n = count(row, name);
      const part = make("span", `wk-room-${name.replace("_", "-")}`, { textContent: counted(name, n) });
      part.dataset.count = String(n);
      if (name === "stuck" && n > 0) part.classList.add("wk-room-alert");
      return part;
    });
    parts.forEach((part, i) => line.append(...(i ? [" · ", part] : [part])));
    if (state.showSeats) {
      for (const name of ["stuck", "working"]) {
        const seats = names(row[name]);
        if (!seats.length) continue;
        const list = make("span", `wk-room-seats wk-room-seats-${name}`, { textContent: format(label(name + "_seats"), { seats: seats.join(", ") }) });
        line.append(" ", list);
      }
    }
    return line;
  }

  function kitLine(kit) {
    const item = make("li", "wk-room-kit");
    item.dataset.kit = kit.kit;
    const shown = projection(kit);
    const parts = [format(label("kit"), { kit: kit.kit, done: decimal(shown.done), total: shown.total })];
    if (shown.stuck > 0) parts.push(["stuck", counted("stuck", shown.stuck)]);
    if (shown.pace === null) parts.push(["pace", label("no_pace")]);
    else parts.push(["pace", format(label("pace"), { minutes: decimal(shown.pace / 60) })]);
    if (shown.remaining <= 0) parts.push(["left", label("all_done")]);
    else if (shown.left !== null) {
      const end = new Date(Date.now() + shown.left * 1000);
      parts.push(["left", format(label("left"), { minutes: Math.round(shown.left / 60), time: clock(end) })]);
    }
    parts.forEach((part, i) => {
      if (i) item.append(" · ");
      if (typeof part === "string") { item.append(part); return; }
      const span = make("span", `wk-room-${part[0]}`, { textContent: part[1] });
      if (part[0] === "stuck") span.classList.add("wk-room-alert");
      item.append(span);
    });
    return item;
  }

  function render() {
    const connected = Boolean(state.address && state.token);
    form.hidden = connected;
    live.hidden = !connected;
    seatsButton.setAttribute("aria-pressed", String(state.showSeats));
    clearLines();
    kitList.replaceChildren();
    if (!connected) return;
    const data = state.data;
    if (!data) {
      summary.textContent = format(label("connecting"), { address: state.address });
      return;
    }
    const reports = new Map(data.kits.map((kit) => [kit.kit, kit]));
    const shown = filter ? data.kits.filter((kit) => kit.kit === filter) : data.kits;
    const seats = new Set(shown.flatMap(seatsOf));
    const at = new Date(data.received);
    summary.textContent = format(label("connected"), { address: state.address, seats: counted("seats", seats.size),
      time: `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}` });
    for (const entry of boxes) {
      const line = stepLine(entry, reports.get(entry.kit));
      const title = entry.box.querySelector(":scope > .admonition-title");
      if (title) title.after(line); else entry.box.prepend(line);
      state.lines.push(line);
    }
    if (timing) {
      if (data.kits.length) kitList.append(...data.kits.map(kitLine));
      else kitList.append(make("li", "wk-room-kit wk-room-none", { textContent: label("no_kits") }));
    }
  }

  function stopPolling() {
    state.generation += 1;
    clearTimeout(state.timer);
    state.timer = null;
    if (state.controller) state.controller.abort();
    state.controller = null;
  }

  function forgetToken() {
    state.token = null;
    try { sessionStorage.removeItem(tokenKey()); } catch (e) { /* nothing kept */ }
  }

  async function poll() {
    const generation = state.generation;
    const controller = new AbortController();
    state.controller = controller;
    const timeout = setTimeout(() => controller.abort(), TIMEOUT_MS);
    const url = new URL("/api/v1/progress", state.address);
    if (filter) url.searchParams.set("kit", filter);
    let message = "";
    try {
      const response = await fetch(url, { headers: { Authorization: `Bearer ${state.token}` }, cache: "no-store",
        credentials: "omit", mode: "cors", referrerPolicy: "no-referrer", signal: controller.signal });
      let body = null;
      try { body = await response.json(); } catch (e) { body = null; }
      if (generation !== state.generation) return;
      if (response.status === 401) {
        // A wrong token, or a server restarted with a new one: back to the form.
        stopPolling();
        forgetToken();
        state.data = null;
        render();
        say(label("unauthorized"));
        if (panel.contains(doc.activeElement) || doc.activeElement === doc.body) tokenInput.focus();
        return;
      }
      if (!response.ok) {
        message = format(label("server_error"), { status: response.status,
          message: body && typeof body.message === "string" ? body.message.slice(0, 200) : response.statusText });
      } else if (!isReport(body)) {
        message = format(label("bad_answer"), { address: state.address });
      } else {
        state.data = { kits: body.kits, received: Date.now() };
        render();
      }
    } catch (error) {
      if (generation !== state.generation) return;
      const target = new URL(state.address);
      const blocked = location.protocol === "https:" && target.protocol === "http:" && !isLoopback(target.hostname);
      message = blocked ? format(label("mixed"), { address: state.address, port: target.port || "80" })
        : format(label("unreachable"), { address: state.address, origin: location.origin });
    } finally {
      clearTimeout(timeout);
    }
    if (generation !== state.generation) return;
    say(message);
    state.controller = null;
    state.timer = setTimeout(poll, POLL_MS);
  }

  function connect() {
    stopPolling();
    render();
    poll();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const address = parseAddress(addressInput.value);
    const token = tokenInput.value.trim();
    if (!address) { say(format(label("bad_address"), { value: addressInput.value.trim() })); addressInput.focus(); return; }
    if (!token) { say(label("no_token")); tokenInput.focus(); return; }
    say("");
    state.address = address;
    state.token = token;
    state.data = null;
    addressInput.value = address;
    tokenInput.value = "";
    save(addressKey(), { address });
    try { sessionStorage.setItem(tokenKey(), token); } catch (e) { /* kept in this page only */ }
    connect();
    seatsButton.focus();
  });
  seatsButton.addEventListener("click", () => { state.showSeats = !state.showSeats; render(); });
  disconnectButton.addEventListener("click", () => {
    stopPolling();
    forgetToken();
    state.data = null;
    state.showSeats = false;
    say("");
    render();
    tokenInput.focus();
  });

  return {
    show() {
      if (state.visible) return;
      state.visible = true;
      const saved = load(addressKey());
      state.address = saved && typeof saved.address === "string" ? parseAddress(saved.address) : null;
      let token = null;
      try { token = sessionStorage.getItem(tokenKey()); } catch (e) { token = null; }
      state.token = token && state.address ? token : null;
      addressInput.value = state.address || "";
      state.showSeats = false;
      state.data = null;
      say("");
      place();
      render();
      if (state.address && state.token) connect();
    },
    hide() {
      state.visible = false;
      stopPolling();
      state.showSeats = false;
      state.data = null;
      clearLines();
      panel.remove();
    },
  };
}

/** Called on every page: the previous page's room stops; this one follows the speaker view. */
export function initRoom(doc) {
  if (current) current.hide();
  current = null;
  if (observer) observer.disconnect();
  observer = null;
  const boxes = stepBoxes(doc);
  const timing = doc.querySelector(".wk-timing");
  if (!boxes.length && !timing) return;
  const room = setup(doc, boxes, timing);
  current = room;
  const follow = () => (document.documentElement.dataset.wkView === "speaker" ? room.show() : room.hide());
  observer = new MutationObserver(follow);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-wk-view"] });
  follow();
}
