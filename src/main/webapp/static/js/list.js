/*
 * The trace list, kept current: the API streams one trace at a time, not the list, so this polls
 * the page's own JSON (ui/list.json) and updates rows in place (keyboard focus stays where it is),
 * and ticks the durations of running traces every second in between.
 */
(function () {
  'use strict';
  const { el, fmt, base } = window.TS;

  const POLL_MS = 2000;
  const MAX_AGENTS_SHOWN = 4;
  const ACTIVE = new Set(['running', 'stalled']);

  const body = document.getElementById('trace-rows');
  const empty = document.getElementById('empty-state');
  const counts = document.getElementById('list-counts');
  const liveNote = document.getElementById('list-live');
  const statusFilter = document.getElementById('filter-status');
  const agentFilter = document.getElementById('filter-agent');
  const agentList = document.getElementById('known-agents');

  let rows = new Map();      // trace id -> {tr, item}
  let fetchedAt = Date.now();
  let serverOffset = 0;      // server clock minus ours, so "ago" and durations follow the server
  let timer = null;

  function query() {
    const params = new URLSearchParams();
    if (statusFilter.value) params.set('status', statusFilter.value);
    if (agentFilter.value.trim()) params.set('agent', agentFilter.value.trim());
    return params;
  }

  function agentsCell(agents) {
    const cell = el('td', { class: 'agents-cell' });
    agents.slice(0, MAX_AGENTS_SHOWN).forEach(a => cell.append(el('span', { class: 'agent-tag', title: a }, a)));
    if (agents.length > MAX_AGENTS_SHOWN) cell.append(el('span', { class: 'more' }, '+' + (agents.length - MAX_AGENTS_SHOWN)));
    return cell;
  }

  function newRow(item) {
    const link = el('a', { class: 'trace-link mono', href: base + 'ui/traces/' + encodeURIComponent(item.trace_id) }, item.trace_id);
    const tr = el('tr', { 'data-trace-id': item.trace_id },
      el('td', {}, el('span', { class: 'chip' })),
      el('td', { class: 'trace-cell' }, link, el('div', { class: 'row-error', hidden: true })),
      el('td', { class: 'agents-cell' }),
      el('td', { class: 'num duration' }),
      el('td', { class: 'num cost' }),
      el('td', { class: 'col-activity' }, el('time')),
      el('td', { class: 'num col-events' }));
    return tr;
  }

  function update(tr, item) {
    const cells = tr.cells;
    tr.dataset.status = item.status;
    tr.className = tr.className.replace(/\bstatus-\S+/g, '').trim() + ' status-' + item.status;
    const chip = cells[0].firstChild;
    chip.className = 'chip chip-' + item.status;
    chip.textContent = item.status;
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
    tick(tr, item);
  }

  function tick(tr, item) {
    const active = ACTIVE.has(item.status);
    const duration = tr.cells[3];
    duration.classList.toggle('ticking', item.status === 'running');
    duration.textContent = fmt.duration(item.duration_ms + (active ? Date.now() - fetchedAt : 0));
    tr.cells[5].firstChild.textContent = fmt.ago(item.last_event_at, Date.now() + serverOffset);
  }

  function render(items) {
    const next = new Map();
    const ordered = [];
    for (const item of items) {
      let entry = rows.get(item.trace_id);
      let tr = entry ? entry.tr : null;
      if (!tr) {
        tr = newRow(item);
        tr.classList.add('fresh');
      }
      update(tr, item);
      next.set(item.trace_id, { tr, item });
      ordered.push(tr);
    }
    // Reorder only when needed: moving the focused row would drop keyboard focus.
    const current = Array.from(body.rows);
    const same = current.length === ordered.length && current.every((tr, i) => tr === ordered[i]);
    if (!same) body.replaceChildren(...ordered);
    rows = next;
    empty.hidden = items.length > 0;
    const active = items.filter(i => i.status === 'running' || i.status === 'stalled').length;
    counts.textContent = items.length + ' shown · ' + active + ' running';
    const known = new Set(Array.from(agentList.options).map(o => o.value));
    items.forEach(i => i.agents.forEach(a => {
      if (!known.has(a)) { known.add(a); agentList.append(el('option', { value: a })); }
    }));
  }

  async function poll() {
    clearTimeout(timer);
    try {
      const response = await fetch(base + 'ui/list.json?' + query(), { headers: { Accept: 'application/json' }, cache: 'no-store' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const data = await response.json();
      fetchedAt = Date.now();
      serverOffset = Date.parse(data.now) - fetchedAt;
      render(data.traces);
      liveNote.classList.remove('offline');
      liveNote.lastChild.textContent = 'Updates live';
    } catch (e) {
      liveNote.classList.add('offline');
      liveNote.lastChild.textContent = 'Server unreachable, retrying';
    }
    timer = setTimeout(poll, POLL_MS);
  }

  // Adopt the server-rendered rows, so the first poll updates them instead of redrawing.
  for (const tr of Array.from(body.rows)) {
    const d = tr.querySelector('.duration').dataset;
    const item = { trace_id: tr.dataset.traceId, status: tr.dataset.status, duration_ms: Number(d.durationMs) };
    tr.dataset.agents = Array.from(tr.querySelectorAll('.agent-tag')).map(a => a.textContent).join('\u0000');
    if (tr.cells[1].querySelector('.row-error') === null) tr.cells[1].append(el('div', { class: 'row-error', hidden: true }));
    rows.set(item.trace_id, { tr, item: Object.assign(item, { last_event_at: tr.cells[5].firstChild.getAttribute('datetime') }) });
  }

  setInterval(() => rows.forEach(({ tr, item }) => tick(tr, item)), 1000);

  // Filters apply at once; the URL follows, so a filtered view can be shared or reloaded.
  function refilter() {
    const params = query().toString();
    history.replaceState(null, '', params ? '?' + params : location.pathname);
    poll();
  }
  statusFilter.addEventListener('change', refilter);
  let typing = null;
  agentFilter.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(refilter, 300); });
  document.getElementById('filters').addEventListener('submit', e => { e.preventDefault(); refilter(); });

  timer = setTimeout(poll, POLL_MS);
})();
