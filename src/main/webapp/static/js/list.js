/*
 * The trace list, kept current by the API's stream of list changes: GET /traces, which answers
 * text/event-stream to the browser's EventSource, sends a named `trace` event with a trace's row
 * whenever the trace had events (at most once a second per trace). The stream sends changes only,
 * so each time it opens (and after every reconnect) the page reads ui/list.json once to catch up
 * on what happened while it was not connected; rows that arrive during that read are applied
 * after it unless the read already had them. Durations tick here in between, and a running trace
 * that goes quiet turns stalled here too, since no event says so. Every value is set as text
 * (see common.js), never parsed as HTML.
 */
(function () {
  'use strict';
  const { el, fmt, base, checkSession } = window.TS;

  const MAX_AGENTS_SHOWN = 4;
  const TICK_MS = 1000;
  const TYPING_MS = 300;
  const RESYNC_RETRY_MS = 2000;
  const ACTIVE = new Set(['running', 'stalled']);
  const page = document.body.dataset;
  const maxRows = Number(page.maxRows);
  const stallAfterMs = Number(page.stallAfterMs);

  const body = document.getElementById('trace-rows');
  const empty = document.getElementById('empty-state');
  const counts = document.getElementById('list-counts');
  const connection = document.getElementById('connection');
  const statusFilter = document.getElementById('filter-status');
  const agentFilter = document.getElementById('filter-agent');
  const agentList = document.getElementById('known-agents');

  let rows = new Map();      // trace id -> {tr, item, at}: `at` is when the item's durations were true, on our clock
  let serverOffset = 0;      // server clock minus ours, so "ago" and stalls follow the server
  let source = null;
  let resyncs = 0;
  let reconnects = 0;

  // ---------------------------------------------------------------- connection indicator

  function setConnection(state, text, detail) {
    connection.dataset.state = state;
    connection.querySelector('.connection-text').textContent = text;
    connection.querySelector('.connection-detail').textContent = detail || '';
  }

  // ---------------------------------------------------------------- filters

  /** The filters as the page's own URL and ui/list.json name them. */
  function pageQuery() {
    const params = new URLSearchParams();
    if (statusFilter.value) params.set('status', statusFilter.value);
    if (agentFilter.value.trim()) params.set('agent', agentFilter.value.trim());
    return params;
  }

  /** The same filters as GET /traces names them. */
  function streamQuery(filter) {
    const params = new URLSearchParams();
    if (filter.status) params.set('status', filter.status);
    if (filter.agent) params.set('agent_id', filter.agent);
    return params;
  }

  function matches(item, filter) {
    return (!filter.status || item.status === filter.status) && (!filter.agent || item.agents.includes(filter.agent));
  }

  // ---------------------------------------------------------------- rows

  function agentsCell(agents) {
    const cell = el('td', { class: 'agents-cell' });
    agents.slice(0, MAX_AGENTS_SHOWN).forEach(a => cell.append(el('span', { class: 'agent-tag', title: a }, a)));
    if (agents.length > MAX_AGENTS_SHOWN) cell.append(el('span', { class: 'more' }, '+' + (agents.length - MAX_AGENTS_SHOWN)));
    return cell;
  }

  function newRow(item) {
    const link = el('a', { class: 'trace-link mono', href: base + 'ui/traces/' + encodeURIComponent(item.trace_id) }, item.trace_id);
    return el('tr', { 'data-trace-id': item.trace_id, class: 'fresh' },
      el('td', {}, el('span', { class: 'chip' })),
      el('td', { class: 'trace-cell' }, link, el('span', { class: 'alert-badge', hidden: true }), el('div', { class: 'row-error', hidden: true })),
      el('td', { class: 'agents-cell' }),
      el('td', { class: 'num duration' }),
      el('td', { class: 'num cost' }),
      el('td', { class: 'col-activity' }, el('time')),
      el('td', { class: 'num col-events' }));
  }

  function update(entry) {
    const { tr, item } = entry;
    const cells = tr.cells;
    const badge = cells[1].querySelector('.alert-badge') ||
      cells[1].insertBefore(el('span', { class: 'alert-badge', hidden: true }), cells[1].querySelector('.row-error'));
    const open = item.open_alerts || 0;
    badge.hidden = open === 0;
    badge.className = 'alert-badge' + (open > 0 ? ' sev-' + item.alert_severity : '');
    badge.textContent = open > 0 ? '⚠ ' + open : '';
    badge.title = open > 0 ? item.alert_message : '';
    const error = cells[1].querySelector('.row-error');
    error.hidden = !item.error;
    error.textContent = item.error || '';
    const agentsKey = item.agents.join('\u0000');
    if (tr.dataset.agents !== agentsKey) {
      tr.dataset.agents = agentsKey;
      tr.replaceChild(agentsCell(item.agents), cells[2]);
    }
    cells[4].textContent = item.cost_text;
    const time = cells[5].firstChild;
    time.setAttribute('datetime', item.last_event_at || '');
    time.title = fmt.utc(item.last_event_at);
    cells[6].textContent = String(item.event_count);
    tick(entry);
  }

  /** A running trace with nothing heard for stall-after is stalled: the server would say so on a reload. */
  function shownStatus(item, serverNow) {
    if (item.status === 'running' && item.last_event_at && serverNow - Date.parse(item.last_event_at) >= stallAfterMs) {
      return 'stalled';
    }
    return item.status;
  }

  function tick(entry) {
    const { tr, item, at } = entry;
    const now = Date.now();
    const status = shownStatus(item, now + serverOffset);
    if (tr.dataset.status !== status) {
      tr.dataset.status = status;
      tr.className = tr.className.replace(/\bstatus-\S+/g, '').trim() + ' status-' + status;
      const chip = tr.cells[0].firstChild;
      chip.className = 'chip chip-' + status;
      chip.textContent = status;
    }
    const duration = tr.cells[3];
    duration.classList.toggle('ticking', status === 'running');
    duration.textContent = fmt.duration(item.duration_ms + (ACTIVE.has(item.status) ? now - at : 0));
    tr.cells[5].firstChild.textContent = fmt.ago(item.last_event_at, now + serverOffset);
  }

  /** The server's order (io.tracestream.web.TraceRows): running first, then newest activity. */
  function compare(a, b) {
    const activeA = ACTIVE.has(a.item.status), activeB = ACTIVE.has(b.item.status);
    if (activeA !== activeB) return activeA ? -1 : 1;
    const atA = a.item.last_event_at ? Date.parse(a.item.last_event_at) : -Infinity;
    const atB = b.item.last_event_at ? Date.parse(b.item.last_event_at) : -Infinity;
    if (atA !== atB) return atB - atA;
    return a.item.trace_id < b.item.trace_id ? -1 : a.item.trace_id > b.item.trace_id ? 1 : 0;
  }

  /** Puts the rows in order and keeps as many as the server would show. */
  function arrange() {
    const ordered = Array.from(rows.values()).sort(compare);
    ordered.slice(maxRows).forEach(entry => rows.delete(entry.item.trace_id));
    const kept = ordered.slice(0, maxRows).map(entry => entry.tr);
    // Reorder only when needed: moving the focused row would drop keyboard focus.
    const current = Array.from(body.rows);
    const same = current.length === kept.length && current.every((tr, i) => tr === kept[i]);
    if (!same) body.replaceChildren(...kept);
    empty.hidden = rows.size > 0;
    let active = 0;
    rows.forEach(entry => { if (ACTIVE.has(entry.item.status)) active++; });
    counts.textContent = rows.size + ' shown · ' + active + ' running';
  }

  function learnAgents(item) {
    const known = new Set(Array.from(agentList.options, o => o.value));
    item.agents.forEach(a => {
      if (!known.has(a)) { known.add(a); agentList.append(el('option', { value: a })); }
    });
  }

  /** Shows one trace's row; one that no longer matches the filters leaves the list. */
  function apply(item, filter, at) {
    const entry = rows.get(item.trace_id);
    if (!matches(item, filter)) {
      if (entry) { entry.tr.remove(); rows.delete(item.trace_id); }
      return;
    }
    const next = { tr: entry ? entry.tr : newRow(item), item, at };
    rows.set(item.trace_id, next);
    update(next);
    learnAgents(item);
  }

  /** The whole list as ui/list.json answered it: rows it does not have are gone. */
  function replaceAll(items, filter, at) {
    const previous = rows;
    rows = new Map();
    for (const item of items) {
      const old = previous.get(item.trace_id);
      if (old) rows.set(item.trace_id, old);
      apply(item, filter, at);
    }
  }

  // ---------------------------------------------------------------- the stream

  function connect() {
    if (source) source.close();
    const filter = { status: statusFilter.value, agent: agentFilter.value.trim() };
    const query = streamQuery(filter).toString();
    const stream = new EventSource(base + 'traces' + (query ? '?' + query : ''));
    source = stream;
    let dropped = false;
    let held = null;          // rows that came while a resync was on its way: trace id -> {item, at}
    let resyncTimer = null;

    async function resync() {
      clearTimeout(resyncTimer);
      held = new Map();
      resyncs++;
      connection.dataset.resyncs = String(resyncs);
      try {
        const response = await fetch(base + 'ui/list.json?' + pageQuery(), { headers: { Accept: 'application/json' }, cache: 'no-store' });
        if (!response.ok) throw new Error('HTTP ' + response.status);
        const data = await response.json();
        if (source !== stream) return; // the filters changed meanwhile
        const at = Date.now();
        serverOffset = Date.parse(data.now) - at;
        replaceAll(data.traces, filter, at);
        const answered = new Map(data.traces.map(item => [item.trace_id, item]));
        held.forEach(({ item, at: rowAt }, traceId) => {
          const read = answered.get(traceId);
          if (!read || item.event_count > read.event_count) apply(item, filter, rowAt);
        });
        held = null;
        arrange();
      } catch (e) {
        held = null;
        if (source === stream && stream.readyState === EventSource.OPEN) resyncTimer = setTimeout(resync, RESYNC_RETRY_MS);
      }
    }

    stream.onopen = () => {
      if (dropped) {
        reconnects++;
        connection.dataset.reconnects = String(reconnects);
        setConnection('resumed', 'Live · resumed', 'list reloaded');
      } else {
        setConnection('live', 'Live');
      }
      resync();
    };
    stream.onerror = () => {
      if (source !== stream) return;
      checkSession(); // an expired sign-in ends the stream and refuses its reconnect
      if (stream.readyState === EventSource.CLOSED) {
        // A refusal (a bad filter, or the server at its maximum of streams): the browser gives up.
        setConnection('offline', 'Disconnected · reload to retry');
      } else {
        dropped = true;
        setConnection('reconnecting', 'Reconnecting…', 'the list reloads when back');
      }
    };
    stream.addEventListener('trace', message => {
      const item = JSON.parse(message.data);
      if (held) {
        held.set(item.trace_id, { item, at: Date.now() });
        return;
      }
      apply(item, filter, Date.now());
      arrange();
    });
  }

  // ---------------------------------------------------------------- start

  // Adopt the server-rendered rows, so the first resync updates them instead of redrawing.
  const loadedAt = Date.now();
  for (const tr of Array.from(body.rows)) {
    const d = tr.querySelector('.duration').dataset;
    const item = {
      trace_id: tr.dataset.traceId, status: tr.dataset.status, duration_ms: Number(d.durationMs),
      agents: Array.from(tr.querySelectorAll('.agent-tag'), a => a.textContent),
      last_event_at: tr.cells[5].firstChild.getAttribute('datetime') || null
    };
    tr.dataset.agents = item.agents.join('\u0000');
    if (tr.cells[1].querySelector('.row-error') === null) tr.cells[1].append(el('div', { class: 'row-error', hidden: true }));
    rows.set(item.trace_id, { tr, item, at: loadedAt });
  }

  setInterval(() => rows.forEach(tick), TICK_MS);

  // Filters apply at once; the URL follows, so a filtered view can be shared or reloaded.
  function refilter() {
    const params = pageQuery().toString();
    history.replaceState(null, '', params ? '?' + params : location.pathname);
    setConnection('connecting', 'Connecting…');
    connect();
  }
  statusFilter.addEventListener('change', refilter);
  let typing = null;
  agentFilter.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(refilter, TYPING_MS); });
  document.getElementById('filters').addEventListener('submit', e => { e.preventDefault(); refilter(); });

  connect();

  // A page the reader left may be kept whole in the browser's back-forward cache, stream open; a
  // browser allows six connections per server, so a few such pages left the next page's requests
  // waiting for good. The stream closes when the page is left and opens again (reading the list
  // once more) if the page comes back from that cache.
  window.addEventListener('pagehide', () => {
    if (source) source.close();
    source = null;
  });
  window.addEventListener('pageshow', event => {
    if (event.persisted && !source) connect();
  });
})();
