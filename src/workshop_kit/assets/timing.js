// The speaker's clock on timing tables: current and next row, rows marked done, minutes behind or
// ahead with the projected end, and a shifted start (button, prompt or ?start=09:30), all persisted.

import { format, labels, load, remove, save, storageKey } from "./store.js";

let timers = [];

const clockOf = (date) => date.getHours() * 3600 + date.getMinutes() * 60 + date.getSeconds();

function parseClock(text) {
  const match = /^\s*(\d{1,2})[:hH.](\d{2})\s*$/.exec(text || "");
  if (!match || +match[1] > 23 || +match[2] > 59) return null;
  return +match[1] * 3600 + +match[2] * 60;
}

function showClock(seconds, style) {
  seconds = ((Math.round(seconds / 60) * 60) % 86400 + 86400) % 86400;
  const h = Math.floor(seconds / 3600), m = String(Math.floor(seconds / 60) % 60).padStart(2, "0");
  if (style === "12h") return `${h % 12 || 12}:${m} ${h < 12 ? "AM" : "PM"}`;
  return `${String(h).padStart(2, "0")}:${m}`;
}

function setup(wrapper) {
  const text = labels(wrapper);
  const style = wrapper.dataset.clock || "24h";
  const key = storageKey("timing", undefined, wrapper.dataset.wkTiming);
  const rows = [...wrapper.querySelectorAll("tr.wk-timing-row[data-start]")].map((tr, index) => ({
    tr, index, day: +tr.dataset.day, start: +tr.dataset.start, end: +tr.dataset.end, title: tr.dataset.title || "",
  }));
  if (!rows.length) return;
  const firstDay = rows[0].day;
  const saved = load(key) || {};
  const state = { start: Number.isFinite(saved.start) ? saved.start : null, done: saved.done && typeof saved.done === "object" ? saved.done : {} };
  const fromUrl = parseClock(new URLSearchParams(location.search).get("start"));
  if (fromUrl !== null) state.start = fromUrl;
  const persist = () => save(key, state);
  if (fromUrl !== null) persist();

  // Shifting moves the first day; later days keep the start their day row gives them.
  const offset = (row) => (state.start === null || row.day !== firstDay ? 0 : state.start - rows[0].start);
  const planned = (row) => ({ start: row.start + offset(row), end: row.end + offset(row) });

  const status = document.createElement("p");
  status.className = "wk-clock-status";
  status.setAttribute("aria-live", "polite");
  const button = (label, name, action) => Object.assign(document.createElement("button"), {
    type: "button", className: `md-button wk-clock-${name}`, textContent: label, onclick: action,
  });
  const controls = document.createElement("div");
  controls.className = "wk-clock";
  controls.append(
    status,
    button(text.start_now, "start", () => { state.start = clockOf(new Date()); state.done = {}; persist(); update(); }),
    button(text.shift, "shift", () => {
      const answer = parseClock(prompt(text.shift_prompt, showClock(planned(rows[0]).start, "24h")));
      if (answer !== null) { state.start = answer; persist(); update(); }
    }),
    button(text.reset, "reset", () => { state.start = null; state.done = {}; remove(key); update(); }),
  );
  wrapper.prepend(controls);

  const table = wrapper.querySelector("table");
  for (const section of ["thead", "tfoot"]) {
    table.querySelectorAll(`${section} tr`).forEach((tr) => tr.append(document.createElement(section === "thead" ? "th" : "td")));
  }
  table.querySelectorAll("tr.wk-timing-day th").forEach((th) => { th.colSpan += 1; });
  for (const row of rows) {
    const cell = document.createElement("td");
    const done = Object.assign(document.createElement("input"), { type: "checkbox", className: "wk-clock-done" });
    done.setAttribute("aria-label", `${text.finished}: ${row.title}`);
    done.addEventListener("change", () => {
      if (done.checked) state.done[row.index] = clockOf(new Date());
      else delete state.done[row.index];
      persist();
      update();
    });
    cell.append(done);
    row.tr.append(cell);
    row.box = done;
  }

  function update() {
    const now = clockOf(new Date());
    const finished = rows.filter((row) => row.index in state.done);
    const last = finished[finished.length - 1];
    const delay = last ? state.done[last.index] - planned(last).end : 0;
    let current = null;
    if (last) current = rows.find((row) => !(row.index in state.done)) || null;
    else current = rows.find((row) => planned(row).start <= now && now < planned(row).end) || null;
    const next = current ? rows[current.index + 1] : rows.find((row) => planned(row).start > now);

    const cells = (row, index) => row.tr.children[index];
    for (const row of rows) {
      const times = planned(row);
      cells(row, 0).textContent = showClock(times.start, style);
      cells(row, 1).textContent = showClock(times.end, style);
      row.tr.classList.toggle("wk-now", row === current);
      row.tr.classList.toggle("wk-next", row === next);
      row.tr.classList.toggle("wk-finished", row.index in state.done);
      row.box.checked = row.index in state.done;
    }
    const parts = [];
    if (current) parts.push(format(text.now, { title: current.title }));
    if (next) {
      const minutes = Math.max(0, Math.round((planned(next).start + delay - now) / 60));
      parts.push(format(text.next, { title: next.title, minutes }));
    } else if (current) parts.push(text.next_none);
    if (last) {
      const minutes = Math.round(Math.abs(delay) / 60);
      parts.push(minutes === 0 ? text.on_time : format(delay > 0 ? text.behind : text.ahead, { minutes }));
      const dayEnd = Math.max(...rows.filter((row) => row.day === last.day).map((row) => planned(row).end));
      parts.push(format(text.projected_end, { time: showClock(dayEnd + delay, style) }));
    }
    status.textContent = parts.join(" · ");
    status.classList.toggle("wk-behind", delay > 59);
  }

  update();
  timers.push(setInterval(update, 15000));
}

export function initTiming(doc) {
  timers.forEach(clearInterval);
  timers = [];
  doc.querySelectorAll(".wk-timing").forEach(setup);
}
