"""The speaker's page, served by the room server at `/`: asks for the token once (kept in
sessionStorage), polls the progress and shows a table per kit. Plain JavaScript without any
dependency; every value from the server is put in the page with textContent, never as HTML. Seat
names are not in the page at all until the speaker presses "Show seats" (the projector)."""

from __future__ import annotations

from html import escape

HTML = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Room progress</title>
<link rel="stylesheet" href="room.css">
<script src="room.js" defer></script>
</head>
<body data-poll-seconds="{poll}">
<header>
<h1>Room progress</h1>
<p id="wk-status" role="status" aria-live="polite">Loading&hellip;</p>
<p id="wk-updated"></p>
</header>
<main>
<form id="wk-login" hidden>
<p id="wk-login-help">Enter the speaker token that <code>workshop room serve</code> printed.
It is kept in this tab only.</p>
<label for="wk-token">Speaker token</label>
<input id="wk-token" name="token" type="password" autocomplete="off" spellcheck="false" required
       aria-describedby="wk-login-help">
<button type="submit">Connect</button>
</form>
<div id="wk-room" hidden>
<div class="wk-bar">
<button id="wk-show-seats" type="button" aria-pressed="false">Show seats</button>
<button id="wk-forget" type="button">Forget token</button>
</div>
<div id="wk-kits"></div>
</div>
</main>
<noscript><p>This page needs JavaScript to read the room's progress.</p></noscript>
</body>
</html>
"""

SCRIPT = r"""(function () {
  'use strict';
  var KEY = 'wk-room-token';
  var pollSeconds = Number(document.body.dataset.pollSeconds) || 3;
  var showSeats = false;
  var timer = null;
  var latest = null;
  var byId = function (id) { return document.getElementById(id); };

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function setStatus(text, problem) {
    var status = byId('wk-status');
    status.textContent = text;
    status.classList.toggle('wk-problem', Boolean(problem));
  }

  function storedToken() {
    try { return sessionStorage.getItem(KEY); } catch (e) { return null; }
  }

  function ask(message) {
    if (timer) { clearTimeout(timer); timer = null; }
    latest = null;
    byId('wk-kits').replaceChildren();
    byId('wk-updated').textContent = '';
    byId('wk-room').hidden = true;
    byId('wk-login').hidden = false;
    setStatus(message, false);
    byId('wk-token').focus();
  }

  function pace(seconds) {
    if (seconds === null || seconds === undefined) return 'not known yet';
    var whole = Math.round(Number(seconds));
    var minutes = Math.floor(whole / 60);
    return (minutes ? minutes + ' min ' : '') + (whole % 60) + ' s per step';
  }

  var COLUMNS = [['done', 'Done'], ['stuck', 'Stuck'], ['working', 'Working'], ['not_started', 'Not started']];

  function cell(row, name) {
    var td = el('td', null, 'wk-' + name.replace('_', '-'));
    var count = Number(row[name + '_count']) || 0;
    td.dataset.col = name;
    td.dataset.count = String(count);
    if (name === 'stuck' && count > 0) td.classList.add('wk-alert');
    td.appendChild(el('span', count, 'wk-count'));
    if (showSeats && count > 0) {
      td.appendChild(el('span', (row[name] || []).join(', '), 'wk-seats'));
    }
    return td;
  }

  function render(data) {
    var fresh = document.createDocumentFragment();
    var kits = Array.isArray(data.kits) ? data.kits : [];
    if (!kits.length) fresh.appendChild(el('p', 'No participant has sent a check yet.'));
    kits.forEach(function (kit) {
      var section = el('section', null, 'wk-kit');
      section.dataset.kit = String(kit.kit);
      section.appendChild(el('h2', kit.kit));
      section.appendChild(el('p', kit.seats + ' seat' + (kit.seats === 1 ? '' : 's') +
        ' · median pace: ' + pace(kit.median_pace_seconds) +
        ' · stuck after ' + data.stuck_minutes + ' min on a failing check', 'wk-summary'));
      var table = el('table');
      table.appendChild(el('caption', 'Steps of ' + kit.kit));
      var head = el('tr');
      head.appendChild(el('th', 'Step')).scope = 'col';
      COLUMNS.forEach(function (column) { head.appendChild(el('th', column[1])).scope = 'col'; });
      table.appendChild(el('thead')).appendChild(head);
      var body = table.appendChild(el('tbody'));
      (kit.steps || []).forEach(function (row) {
        var tr = el('tr');
        tr.dataset.step = String(row.step);
        var th = tr.appendChild(el('th', row.step + ' / ' + kit.total));
        th.scope = 'row';
        COLUMNS.forEach(function (column) { tr.appendChild(cell(row, column[0])); });
        body.appendChild(tr);
      });
      section.appendChild(table);
      fresh.appendChild(section);
    });
    byId('wk-kits').replaceChildren(fresh);
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, pollSeconds * 1000);
  }

  function refresh() {
    var token = storedToken();
    if (!token) { ask('Enter the speaker token.'); return; }
    fetch('api/v1/progress', {headers: {'Authorization': 'Bearer ' + token}, cache: 'no-store'})
      .then(function (response) {
        if (response.status === 401) {
          try { sessionStorage.removeItem(KEY); } catch (e) { /* storage off */ }
          ask('The server refused this token: enter the one it printed.');
          return null;
        }
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data) return;
        latest = data;
        byId('wk-login').hidden = true;
        byId('wk-room').hidden = false;
        render(data);
        // The live region speaks only when the connection changes, not at every poll.
        if (byId('wk-status').textContent !== 'Connected.') setStatus('Connected.', false);
        byId('wk-updated').textContent = 'Updated at ' + new Date().toLocaleTimeString() +
          ', every ' + pollSeconds + ' s.';
        schedule();
      })
      .catch(function () {
        setStatus('Cannot reach the room server; trying again in ' + pollSeconds + ' s.', true);
        schedule();
      });
  }

  byId('wk-login').addEventListener('submit', function (event) {
    event.preventDefault();
    var value = byId('wk-token').value.trim();
    if (!value) return;
    try { sessionStorage.setItem(KEY, value); } catch (e) { /* storage off: asked again on reload */ }
    byId('wk-token').value = '';
    setStatus('Connecting…', false);
    refresh();
  });
  byId('wk-show-seats').addEventListener('click', function () {
    showSeats = !showSeats;
    this.setAttribute('aria-pressed', String(showSeats));
    this.textContent = showSeats ? 'Hide seats' : 'Show seats';
    if (latest) render(latest);
  });
  byId('wk-forget').addEventListener('click', function () {
    try { sessionStorage.removeItem(KEY); } catch (e) { /* storage off */ }
    ask('Token forgotten: enter it again to follow the room.');
  });
  refresh();
})();
"""

STYLE = """\
:root { color-scheme: light; }
body { margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem; font: 1.125rem/1.5 system-ui, sans-serif;
       color: #1b1b1b; background: #ffffff; }
h1 { font-size: 1.75rem; margin: 0 0 .25rem; }
h2 { font-size: 1.4rem; margin: 1.5rem 0 .25rem; }
#wk-status, #wk-updated { color: #3d3d3d; margin: 0 0 .25rem; }
#wk-updated { margin-bottom: 1rem; }
#wk-status.wk-problem { color: #8a1010; font-weight: 600; }
label { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
input { font: inherit; padding: .4rem .5rem; border: 2px solid #555555; border-radius: 4px; min-width: 18rem; }
button { font: inherit; padding: .4rem .9rem; border: 2px solid #0b4f8a; border-radius: 4px;
         background: #0b4f8a; color: #ffffff; cursor: pointer; margin: .5rem .5rem 0 0; }
button[aria-pressed="true"] { background: #ffffff; color: #0b4f8a; }
button:focus-visible, input:focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }
.wk-bar { margin-bottom: .5rem; }
.wk-summary { margin: 0 0 .5rem; color: #3d3d3d; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; position: absolute; left: -10000px; }
th, td { border: 1px solid #767676; padding: .35rem .6rem; text-align: left; vertical-align: top; }
thead th { background: #eef2f6; }
.wk-count { font-weight: 700; font-size: 1.25rem; }
.wk-seats { display: block; font-size: .95rem; color: #1b1b1b; overflow-wrap: anywhere; }
td.wk-alert { background: #fdecea; color: #8a1010; }
td.wk-alert .wk-seats { color: #8a1010; }
"""


def html(poll_seconds: float = 3) -> str:
    poll = f"{poll_seconds:g}"
    return HTML.replace("{poll}", escape(poll, quote=True))
