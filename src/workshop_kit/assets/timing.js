// The speaker's clock on timing tables, recomputed on every tick from three things only:
// the planned schedule (moved by a saved start shift), the run (the end time recorded for each row
// marked done, scoped to the date the run started) and the current time. From them: the current
// and next row, minutes behind or ahead, the projected end, or that the day is over.
// Once a run is followed (a row marked done today, or "Start now"), a row ends when it is marked:
// the first row not marked runs on past its planned end, the clock says by how much and projects
// the rest from now; "Ended" only once the last row is marked. Before that, rows follow the clock.
// "New run" and "Start now" ask before clearing done marks or questions holds and keep one undo for
// the day, which an empty run never replaces.
// State is shared by both languages and the workshop's speaker sheet (keyed by the language-free
// page path); a run from an earlier day is shown as such and not applied until "New run".

import { format, labels, load, neutralPath, pagePath, save, storageKey } from "./store.js";

let timers = [];

const pad = (n) => String(n).padStart(2, "0");
const clockOf = (date) => date.getHours() * 3600 + date.getMinutes() * 60 + date.getSeconds();
const today = (d = new Date()) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

function parseClock(text) {
  const match = /^\s*(\d{1,2})[:hH.](\d{2})\s*$/.exec(text || "");
  if (!match || +match[1] > 23 || +match[2] > 59) return null;
  return +match[1] * 3600 + +match[2] * 60;
}

function showClock(seconds, style) {
  seconds = ((Math.round(seconds / 60) * 60) % 86400 + 86400) % 86400;
  const h = Math.floor(seconds / 3600), m = pad(Math.floor(seconds / 60) % 60);
  if (style === "12h") return `${h % 12 || 12}:${m} ${h < 12 ? "AM" : "PM"}`;
  return `${pad(h)}:${m}`;
}

/**
 * Where the day stands: a pure function of the rows ([{index, day, start, end}], planned times in
 * seconds of the day, start shift applied), the done marks of today's run ({index: seconds}),
 * whether the run is followed (`tracking`) and the time `now`.
 * Returns {live, next, delay, end, plannedEnd, state, overrun, lastDone}: the current and next row
 * (or null), seconds behind (negative: ahead), the projected (or actual) end of the day and its
 * planned end, `state` one of "running", "overrunning", "past" (the planned end has passed,
 * unfollowed) and "ended" (every row marked), `overrun` the seconds the live row runs past its end.
 */
export function project(rows, done, now, tracking) {
  if (!rows.length) return null;
  const finished = rows.filter((row) => row.index in done);
  const last = finished[finished.length - 1];
  const lastDone = last ? done[last.index] : null;
  let delay = last ? lastDone - last.end : 0;
  // Rows still to come, on the day the run has reached; done marks move that day by the delay.
  const ahead = rows.slice(last ? rows.indexOf(last) + 1 : 0);
  const day = ahead.length ? ahead[0].day : last.day;
  const plannedEnd = Math.max(...rows.filter((row) => row.day === day).map((row) => row.end));
  if (!ahead.length) {
    return { live: null, next: null, delay, end: lastDone, plannedEnd, state: "ended", overrun: 0, lastDone };
  }
  const todays = ahead.filter((row) => row.day === day);
  const moved = (row) => (last && row.day === last.day ? delay : 0);
  const at = (row) => ({ start: row.start + moved(row), end: row.end + moved(row) });
  // A followed run: the first row not marked done is running until it is marked, on its own day.
  const running = tracking && todays[0].day === (last ? last.day : rows[0].day) ? todays[0] : null;
  if (running && now >= at(running).end) {
    const overrun = now - at(running).end;
    delay = now - running.end;
    const end = Math.max(now, ...todays.slice(1).map((row) => row.end + delay));
    return { live: running, next: todays[1] || null, delay, end, plannedEnd, state: "overrunning", overrun, lastDone };
  }
  const live = todays.find((row) => at(row).start <= now && now < at(row).end) || null;
  const next = live ? todays[todays.indexOf(live) + 1] || null : todays.find((row) => at(row).start > now) || null;
  const end = Math.max(...todays.map((row) => at(row).end));
  const state = !running && now >= end ? "past" : "running";
  return { live, next, delay, end, plannedEnd, state, overrun: 0, lastDone, at };
}

/**
 * The projected end of the day at past pace: the row running now (the first not marked done; with
 * no mark, the one the clock is in) ends after its past median counted from when it began (the
 * previous mark, else its planned start), never before `now`; each later row of that day follows
 * after the gap the agenda leaves before it, lasting its past median (`past`: {index: seconds}) or,
 * without one, its planned duration. Null once every row is marked.
 */
export function pastEnd(rows, done, now, past) {
  const pending = rows.filter((row) => !(row.index in done));
  if (!pending.length) return null;
  const day = pending[0].day;
  const todays = rows.filter((row) => row.day === day);
  const marked = todays.some((row) => row.index in done);
  const first = marked ? pending[0] : todays.find((row) => row.end > now) || todays[todays.length - 1];
  const length = (row) => (Number.isFinite(past[row.index]) ? past[row.index] : row.end - row.start);
  const before = rows[rows.indexOf(first) - 1];
  const began = marked && before && before.day === day && before.index in done ? done[before.index] : first.start;
  let end = Math.max(now, began + length(first));
  for (let i = todays.indexOf(first) + 1; i < todays.length; i++) {
    end += Math.max(0, todays[i].start - todays[i - 1].end) + length(todays[i]);
  }
  return end;
}

/** Whether clearing `run` would lose something: a done mark or a questions hold. */
export function hasProgress(run) {
  return Boolean(run && (Object.keys(run.done || {}).length || (run.holds || []).length));
}

/**
 * The undo kept for `day` when "New run" or "Start now" replaces `run` (and `shift`): that run if
 * it holds done marks or holds; else the undo already saved that day, never replaced by an empty
 * run ("New run" then "Start now" still restores the marks the first cleared); with none, the
 * empty run and its shift (an accidental "Start now" can be undone).
 */
export function undoAfterReset(undo, run, shift, day) {
  if (!hasProgress(run) && undo && undo.date === day) return undo;
  return { date: day, shift, run };
}

/** Seconds of questions in a run's holds ([{start, end}], `end` null while a hold is open) at `now`. */
export function heldSeconds(holds, now) {
  return (holds || []).reduce((sum, hold) => sum + Math.max(0, (hold.end === null || hold.end === undefined ? now : hold.end) - hold.start), 0);
}

/**
 * The run file of "Export run" (run.schema.json, version 1): the agenda, the planned rows
 * ([{index, title, kind, day, start, end}], shift not applied), the run's done marks and its
 * questions holds (one still open ends at `now`), the page's language.
 */
export function runExport({ workshop, agenda, lang, rows, run, shift, now, exported }) {
  const done = {};
  for (const [index, seconds] of Object.entries(run.done || {})) {
    if (/^\d+$/.test(index) && +index < rows.length) done[index] = seconds;
  }
  const running = (seconds) => rows.reduce((found, row) => (row.start <= seconds ? row.index : found), null);
  return {
    format: "workshop-kit-run",
    version: 1,
    workshop,
    agenda,
    date: run.date,
    lang,
    shift: Number.isFinite(shift) ? shift : null,
    exported,
    rows: rows.map((row) => ({ index: row.index, title: row.title, kind: row.kind || "", day: row.day,
      start: row.start, end: row.end, planned: row.end - row.start })),
    done,
    holds: (run.holds || []).map((hold) => {
      const end = hold.end === null || hold.end === undefined ? Math.max(now, hold.start) : hold.end;
      return { start: hold.start, end, row: Number.isInteger(hold.row) ? hold.row : running(hold.start) };
    }),
  };
}

function setup(wrapper) {
  const text = labels(wrapper);
  const style = wrapper.dataset.clock || "24h";
  const scope = wrapper.closest("[data-wk-page]");
  const key = storageKey("timing", neutralPath(scope ? scope.dataset.wkPage : pagePath()), wrapper.dataset.wkTiming);
  const rows = [...wrapper.querySelectorAll("tr.wk-timing-row[data-start]")].map((tr, index) => ({
    tr, index, day: +tr.dataset.day, start: +tr.dataset.start, end: +tr.dataset.end, title: tr.dataset.title || "",
    kind: tr.dataset.kind || "", past: tr.dataset.past ? +tr.dataset.past : null,
    p80: tr.dataset.pastP80 ? +tr.dataset.pastP80 : null, runs: +(tr.dataset.pastRuns || 0),
  }));
  const hasPast = rows.some((row) => row.past !== null);
  if (!rows.length) return;
  const firstDay = rows[0].day;
  const saved = load(key) || {};
  // Older saves kept the shift as `start` and undated done marks: a run of an unknown earlier day.
  const shift = Number.isFinite(saved.shift) ? saved.shift : Number.isFinite(saved.start) ? saved.start : null;
  let run = saved.run && typeof saved.run.done === "object" ? saved.run : saved.done ? { date: "", done: saved.done } : null;
  // The run (and shift) before the last "New run" or "Start now", restorable on that day only.
  const undo = saved.undo && typeof saved.undo === "object" && saved.undo.date === today() ? saved.undo : null;
  const state = { shift, run, undo, pace: saved.pace === true };
  const persist = () => save(key, state);

  const offset = (row) => (state.shift === null || row.day !== firstDay ? 0 : state.shift - rows[0].start);
  const planned = (row) => ({ start: row.start + offset(row), end: row.end + offset(row) });

  const make = (tag, name, props) => Object.assign(document.createElement(tag), { className: name, ...props });
  const button = (label, name, action) => make("button", `md-button wk-clock-${name}`, { type: "button", textContent: label, onclick: action });
  const status = make("p", "wk-clock-status");
  status.setAttribute("aria-live", "polite");
  const message = make("p", "wk-clock-message", { hidden: true });
  message.setAttribute("role", "alert");
  const shiftNote = make("span", "wk-clock-shifted");
  const unshift = button(text.unshift, "unshift", () => { state.shift = null; persist(); update(); });
  const staleNote = make("span", "wk-clock-stale");
  const warn = (template, value) => { message.textContent = format(template, { value }); message.hidden = false; };
  const setShift = (seconds) => { state.shift = seconds; message.hidden = true; persist(); update(); };
  const marked = () => hasProgress(state.run);  // done marks or questions holds
  // Clears the run (and, for "Start now", moves the start) after asking when done marks or holds
  // would go; what it replaces stays restorable for the day (undoAfterReset).
  const restart = (question, started, shiftTo) => {
    if (marked() && !confirm(question)) return;
    state.undo = undoAfterReset(state.undo, state.run, state.shift, today());
    if (shiftTo !== undefined) { state.shift = shiftTo; message.hidden = true; }
    state.run = started ? { date: today(), done: {}, started: true } : { date: today(), done: {} };
    persist();
    update();
  };
  const restore = button(text.undo, "undo", () => {
    if (!state.undo) return;
    state.shift = state.undo.shift;
    state.run = state.undo.run;
    state.undo = null;
    persist();
    update();
  });
  const controls = make("div", "wk-clock");
  controls.append(
    status, message,
    button(text.start_now, "start", () => restart(text.start_now_confirm, true, Math.floor(clockOf(new Date()) / 60) * 60)),
    button(text.new_run, "new", () => restart(text.new_run_confirm, false)),
    restore,
    button(text.shift, "shift", () => {
      const answer = prompt(text.shift_prompt, showClock(planned(rows[0]).start, "24h"));
      if (answer === null || !answer.trim()) return;
      const seconds = parseClock(answer);
      if (seconds === null) warn(text.bad_start, answer); else setShift(seconds);
    }),
    shiftNote, unshift, staleNote,
  );
  // Questions: unplanned time held in the run; the export: the run as a file for runs/<workshop>/.
  const todaysRun = () => {
    if (!state.run || state.run.date !== today()) {
      if (marked()) state.undo = { date: today(), shift: state.shift, run: state.run };
      state.run = { date: today(), done: {} };
    }
    return state.run;
  };
  const openHold = () => (state.run && state.run.date === today() && (state.run.holds || []).find((hold) => hold.end === null)) || null;
  const questions = button(text.questions, "questions", () => {
    const now = clockOf(new Date());
    const hold = openHold();
    if (hold) hold.end = Math.max(now, hold.start);
    else {
      const current = todaysRun();
      current.holds = current.holds || [];
      const live = rows.find((row) => !(row.index in current.done));
      current.holds.push({ start: now, end: null, row: live ? live.index : null });
    }
    persist();
    update();
  });
  const exporter = button(text.export, "export", () => {
    const current = state.run;
    if (!current || (!Object.keys(current.done || {}).length && !(current.holds || []).length)) {
      warn(text.export_empty, "");
      return;
    }
    message.hidden = true;
    const page = neutralPath(scope ? scope.dataset.wkPage : pagePath());
    const caption = table.querySelector("caption");
    const data = runExport({
      workshop: page.split("/")[0] || "site",
      agenda: { id: wrapper.dataset.wkTiming, title: caption ? caption.textContent.trim() : "", page },
      lang: document.documentElement.lang || "en",
      rows: rows.map(({ index, title, kind, day, start, end }) => ({ index, title, kind, day, start, end })),
      run: current, shift: state.shift, now: clockOf(new Date()), exported: new Date().toISOString(),
    });
    const link = make("a", "wk-clock-download", {
      href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" })),
      download: `${current.date || today()}-${wrapper.dataset.wkTiming}.json`,
    });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
  controls.insertBefore(questions, shiftNote);
  controls.insertBefore(exporter, shiftNote);
  let pace = null;
  if (hasPast) {
    pace = make("input", "wk-clock-pace-box", { type: "checkbox", checked: state.pace });
    pace.addEventListener("change", () => { state.pace = pace.checked; persist(); update(); });
    const label = make("label", "wk-clock-pace");
    label.append(pace, " ", text.past_pace);
    controls.insertBefore(label, shiftNote);
  }
  wrapper.prepend(controls);

  const fromUrl = new URLSearchParams(location.search).get("start");
  if (fromUrl) {
    const seconds = parseClock(fromUrl);
    if (seconds === null) warn(text.bad_start, fromUrl); else { state.shift = seconds; persist(); }
  }

  const table = wrapper.querySelector("table");
  for (const section of ["thead", "tfoot"]) {
    table.querySelectorAll(`${section} tr`).forEach((tr) => {
      const cell = make(section === "thead" ? "th" : "td", "wk-clock-cell");
      if (section === "thead") cell.textContent = text.finished;
      tr.append(cell);
    });
  }
  table.querySelectorAll("tr.wk-timing-day th").forEach((th) => { th.colSpan += 1; });
  // Narrow screens show the Total row's label in its duration cell (workshop.css).
  table.querySelectorAll("tfoot tr.wk-timing-total").forEach((tr) => {
    const label = tr.querySelector("th");
    if (label && label.nextElementSibling) label.nextElementSibling.dataset.wkLabel = label.textContent.trim();
  });
  for (const row of rows) {
    const cell = make("td", "wk-clock-cell");
    const done = make("input", "wk-clock-done", { type: "checkbox" });
    done.setAttribute("aria-label", `${text.finished}: ${row.title}`);
    done.addEventListener("change", () => {
      if (!state.run || state.run.date !== today()) {
        if (marked()) state.undo = { date: today(), shift: state.shift, run: state.run };  // an earlier day's run
        state.run = { date: today(), done: {} };
      }
      if (done.checked) state.run.done[row.index] = clockOf(new Date());
      else delete state.run.done[row.index];
      persist();
      update();
    });
    cell.append(done);
    row.tr.append(cell);
    row.box = done;
    if (row.past !== null && row.tr.children[4]) {
      const m = (seconds) => Math.round(seconds / 60);
      const note = make("span", "wk-past", {
        textContent: format(text.past, { planned: m(row.end - row.start), past: m(row.past), p80: m(row.p80 ?? row.past) }),
        title: format(text.past_title, { runs: row.runs }),
      });
      row.tr.children[4].append(note);
    }
  }

  function update() {
    const now = clockOf(new Date());
    const current = state.run && state.run.date === today() ? state.run.done : {};
    const stale = state.run && state.run.date !== today() && Object.keys(state.run.done).length ? state.run : null;
    const tracking = Object.keys(current).length > 0 || Boolean(state.run && state.run.date === today() && state.run.started);
    const day = project(rows.map((row) => ({ index: row.index, day: row.day, ...planned(row) })), current, now, tracking);
    const live = day.live && rows[day.live.index], next = day.next && rows[day.next.index];

    for (const row of rows) {
      const times = planned(row);
      row.tr.children[0].textContent = showClock(times.start, style);
      row.tr.children[1].textContent = showClock(times.end, style);
      row.tr.classList.toggle("wk-now", row === live);
      row.tr.classList.toggle("wk-next", row === next);
      row.tr.classList.toggle("wk-finished", row.index in current);
      row.tr.classList.toggle("wk-overrun", row === live && day.state === "overrunning");
      row.box.checked = row.index in current;
    }
    const parts = [];
    const minutes = (seconds) => Math.round(Math.abs(seconds) / 60);
    const late = Math.round((day.end - day.plannedEnd) / 60);
    if (day.state === "ended") {
      parts.push(["over", text.over]);
      if (late > 0) parts.push(["overran", format(text.overran, { minutes: late })]);
      parts.push(["ended", format(text.ended, { time: showClock(day.end, style) })]);
    } else if (day.state === "past") {
      parts.push(["past-end", format(text.past_end, { time: showClock(day.plannedEnd, style) })]);
    } else {
      if (live) parts.push(["now", format(text.now, { title: live.title })]);
      if (day.state === "overrunning") {
        parts.push(["overrunning", format(text.overrunning, { minutes: minutes(day.overrun) })]);
        if (next) parts.push(["next", format(text.next_after, { title: next.title })]);
      } else if (next) {
        parts.push(["next", format(text.next, { title: next.title, minutes: Math.max(0, Math.round((day.at(day.next).start - now) / 60)) })]);
      }
      if (live && !next) parts.push(["next", text.next_none]);
      if (tracking && (Object.keys(current).length || day.state === "overrunning")) {
        const off = minutes(day.delay);
        parts.push(["delay", off === 0 ? text.on_time : format(day.delay > 0 ? text.behind : text.ahead, { minutes: off })]);
        parts.push(["projected", format(text.projected_end, { time: showClock(day.end, style) })]);
      }
    }
    const paced = hasPast && state.pace && day.state !== "ended" && day.state !== "past"
      ? pastEnd(rows.map((row) => ({ index: row.index, day: row.day, ...planned(row) })), current, now,
        Object.fromEntries(rows.filter((row) => row.past !== null).map((row) => [row.index, row.past])))
      : null;
    if (paced !== null) parts.push(["paced", format(text.projected_past, { time: showClock(paced, style) })]);
    const hold = openHold();
    if (hold) parts.push(["questions", format(text.questions_on, { minutes: minutes(now - hold.start) })]);
    questions.textContent = hold ? text.questions_stop : text.questions;
    questions.setAttribute("aria-pressed", hold ? "true" : "false");
    // One span per part, so a phone can give "Now" its own line and leave "Next" to the table.
    // (Replaced only when it changes: the status is a live region.)
    const said = parts.map(([, words]) => words).join(" · ");
    if (status.dataset.said !== said) {
      status.dataset.said = said;
      status.replaceChildren(...parts.map(([kind, words], i) => {
        const part = make("span", `wk-part wk-part-${kind}`);
        if (i > 0) part.append(make("span", "wk-sep", { textContent: " · " }));
        part.append(words);
        return part;
      }));
    }
    status.classList.toggle("wk-behind", (day.state === "ended" ? late * 60 : day.delay) > 59);
    const shifted = state.shift !== null && state.shift !== rows[0].start;
    shiftNote.textContent = shifted ? format(text.shifted, { time: showClock(state.shift, style), planned: showClock(rows[0].start, style) }) : "";
    shiftNote.hidden = unshift.hidden = !shifted;
    restore.hidden = !(state.undo && state.undo.date === today());
    wrapper.dataset.wkShift = shifted ? showClock(state.shift, style) : "";
    staleNote.textContent = stale ? format(text.stale, { date: stale.date || "?" }) : "";
    staleNote.hidden = !stale;
  }

  update();
  timers.push(setInterval(update, 15000));
}

/** `root` is the document (a new page: the previous page's clocks stop) or a speaker sheet's part. */
export function initTiming(root) {
  if (root.nodeType === Node.DOCUMENT_NODE) {
    timers.forEach(clearInterval);
    timers = [];
  }
  root.querySelectorAll(".wk-timing").forEach(setup);
}
