/*
 * One trace, live. The server rendered the page from the store, up to the event named in
 * data-last-event-id; this script opens the API's stream right after that event
 * (?last_event_id=), so a page opened mid-run misses nothing and draws nothing twice. On a
 * dropped connection the browser's EventSource reconnects by itself and sends Last-Event-ID,
 * which the server resumes from. The `summary` events redraw the panels; plain events go into
 * the log (at the end, or for a trace of OpenTelemetry spans at their place in time). Every value
 * from an event is set as text (see common.js), never parsed as HTML.
 */
(function () {
  'use strict';
  const { el, svg, fmt, base, checkSession } = window.TS;

  const page = document.body.dataset;
  const traceId = page.traceId;
  const traceUrl = base + 'traces/' + encodeURIComponent(traceId);

  const MAX_BARS = 400;
  const MIN_WIDTH = 0.4;
  const MAX_TEXT = 200;
  const TICK_MS = 250;
  const DIAGRAM_DELAY_MS = 1500;
  const NODE = { w: 168, h: 44, colGap: 72, rowGap: 18, pad: 12, maxLabel: 20 };

  const log = document.getElementById('event-log');
  const typeFilter = document.getElementById('log-type');
  const agentFilter = document.getElementById('log-agent');
  const connection = document.getElementById('connection');
  const plumbingToggles = Array.from(document.querySelectorAll('.plumbing-toggle'));
  const diagramSource = document.getElementById('diagram-source');

  let summary = JSON.parse(page.summary);
  let summaryAt = Date.now();       // when `summary` was taken, on our clock
  let finished = page.ended === 'true';
  let lastEventId = page.lastEventId;
  let lastEventType = null;
  const seen = new Set(Array.from(log.children, li => li.dataset.id));
  let duplicates = 0;
  let bars = [];                    // {bar, text, step} for the live layout
  let spanAgents = spanAgentsOf(summary);
  // Listed by time (a trace of spans: children are exported before their parents), else as stored.
  let inTimeOrder = log.dataset.order === 'time';

  // ---------------------------------------------------------------- framework steps, folded or not

  /*
   * Frameworks' own steps (summary steps with `plumbing`: LangChain's RunnableSequence, prompts,
   * LangGraph's entry nodes...) outnumber the agents' work, so they start folded, on the timeline
   * and in the diagram alike. One choice for both, kept for this trace for the browser tab's life,
   * so a reload or the next summary's redraw does not fold them again.
   */
  const UNFOLD_KEY = 'tracestream.unfold-plumbing.' + traceId;
  let unfolded = readUnfolded();

  function readUnfolded() {
    try {
      return sessionStorage.getItem(UNFOLD_KEY) === 'true';
    } catch (e) {
      return false; // storage refused (a privacy setting): folded, as on a first visit
    }
  }

  function keepUnfolded() {
    try {
      if (unfolded) sessionStorage.setItem(UNFOLD_KEY, 'true'); else sessionStorage.removeItem(UNFOLD_KEY);
    } catch (e) {
      // The choice still holds until the page is left.
    }
  }

  function plumbingCount() {
    return summary.steps.filter(step => step.plumbing).length;
  }

  function renderPlumbingToggles() {
    const count = plumbingCount();
    const text = unfolded ? 'Hide framework steps' : 'Show ' + count + ' framework step' + (count === 1 ? '' : 's');
    for (const button of plumbingToggles) {
      button.hidden = count === 0;
      button.setAttribute('aria-pressed', String(unfolded));
      if (button.textContent !== text) button.textContent = text;
    }
    if (diagramSource) diagramSource.href = diagramUrl();
  }

  function togglePlumbing() {
    unfolded = !unfolded;
    keepUnfolded();
    renderPlumbingToggles();
    renderTimeline();
    scheduleDiagram(true);
  }
  plumbingToggles.forEach(button => button.addEventListener('click', togglePlumbing));

  // ---------------------------------------------------------------- connection indicator

  function setConnection(state, text, detail) {
    connection.dataset.state = state;
    connection.querySelector('.connection-text').textContent = text;
    connection.querySelector('.connection-detail').textContent = detail || '';
  }

  // ---------------------------------------------------------------- time

  const RUNNING = new Set(['running', 'stalled']);

  /** The trace's "now": the summary's own clock moved on by the time since it arrived. */
  function traceNow() {
    const start = Date.parse(summary.started_at);
    if (!RUNNING.has(summary.status)) {
      return summary.ended_at ? Date.parse(summary.ended_at) : start + summary.duration_ms;
    }
    return start + summary.duration_ms + (Date.now() - summaryAt);
  }

  // ---------------------------------------------------------------- header and stats

  function renderStats() {
    const status = document.getElementById('trace-status');
    status.className = 'chip chip-lg chip-' + summary.status;
    status.textContent = summary.status;
    document.getElementById('stat-events').textContent = String(summary.event_count);
    document.getElementById('stat-agents').textContent = String(summary.agents.length);
    const total = summary.usage.total;
    document.getElementById('stat-tokens').textContent = fmt.tokens(total.input_tokens) + ' in / ' + fmt.tokens(total.output_tokens) + ' out';
    const cost = document.getElementById('stat-cost');
    cost.textContent = fmt.usageCost(total);
    if (fmt.costTitle(total)) cost.title = fmt.costTitle(total); else cost.removeAttribute('title');
    const failed = document.getElementById('stat-failed');
    failed.textContent = String(summary.failures.failed_steps);
    failed.classList.toggle('bad', summary.failures.failed_steps > 0);
  }

  // ---------------------------------------------------------------- timeline

  function kindLabel(kind) {
    return kind === 'llm_call' ? 'LLM' : kind === 'tool_call' ? 'tool' : 'task';
  }

  /**
   * A placeholder stands for a parent span not received yet, whose children are running: no name,
   * and the agent its children name when they agree (else null). As TimelineView.stepName words it.
   */
  function stepName(step) {
    return step.placeholder ? 'working (span ' + step.span_id + ' not received yet)' : (step.name || step.kind);
  }

  function agentName(agentId) {
    return agentId === null || agentId === undefined ? '(agent not known yet)' : agentId;
  }

  function renderTimeline() {
    const body = document.getElementById('timeline-body');
    const lanes = new Map();
    summary.agents.forEach(a => lanes.set(a.agent_id, { agent: a.agent_id, state: a.state, steps: [] }));
    // A placeholder starts with its earliest child, which it encloses: it goes first (as TimelineView).
    const steps = summary.steps.filter(step => unfolded || !step.plumbing).sort((a, b) =>
      (Date.parse(a.started_at) - Date.parse(b.started_at)) || (b.placeholder - a.placeholder) || (a.index - b.index));
    const drawn = steps.slice(0, MAX_BARS);
    // Only the unknown agent's lane (null) is not among the summary's agents: working while it has open work.
    const unknownWorking = summary.steps.some(step => step.agent_id === null && step.outcome === 'open');
    drawn.forEach(step => {
      if (!lanes.has(step.agent_id)) {
        lanes.set(step.agent_id, { agent: step.agent_id, state: unknownWorking ? 'working' : 'idle', steps: [] });
      }
      lanes.get(step.agent_id).steps.push(step);
    });
    const axis = el('div', { class: 'track axis-track' });
    for (let i = 0; i <= 4; i++) axis.append(el('span', { class: 'tick', style: 'left:' + (i * 25) + '%' }));
    const children = [el('div', { class: 'step-row axis', 'aria-hidden': 'true' }, el('div', { class: 'step-label' }), axis)];
    bars = [];
    for (const lane of lanes.values()) {
      if (lane.steps.length === 0) continue;
      const laneEl = el('div', { class: 'lane', 'data-agent': lane.agent },
        el('div', { class: 'lane-head' },
          el('span', { class: 'state-dot state-' + lane.state, 'aria-hidden': 'true' }),
          el('span', { class: 'lane-name' }, agentName(lane.agent)),
          el('span', { class: 'lane-state' }, lane.state)));
      for (const step of lane.steps) {
        const name = stepName(step);
        const text = el('span', { class: 'bar-text' });
        const bar = el('div', { class: 'bar outcome-' + step.outcome }, text);
        // A model or tool call opens what it said: its name is a button, for the keyboard; the bar is clicked too.
        const call = CALL_TYPES.has(step.kind);
        const selected = call && step.index === shownStep;
        laneEl.append(el('div', { class: 'step-row' + (step.plumbing ? ' plumbing' : '') + (call ? ' callable' : '') + (selected ? ' selected' : ''),
          'data-step': step.index, 'data-plumbing': step.plumbing },
          el('div', { class: 'step-label', title: name },
            el('span', { class: 'kind kind-' + step.kind }, kindLabel(step.kind)),
            call ? el('button', { type: 'button', class: 'step-name step-open', 'aria-controls': 'conversation' }, name)
              : el('span', { class: 'step-name' }, name)),
          el('div', { class: 'track' }, bar)));
        bars.push({ bar, text, step });
      }
      children.push(laneEl);
    }
    if (steps.length > drawn.length) children.push(el('p', { class: 'subtle' }, (steps.length - drawn.length) + ' more steps not drawn'));
    if (bars.length === 0) children.push(el('p', { class: 'subtle' }, 'No steps yet: bars appear when agents start tasks or call LLMs and tools.'));
    // A call's button keeps the keyboard's focus through the redraw.
    const focused = document.activeElement && document.activeElement.closest ? document.activeElement.closest('#timeline-body .step-row') : null;
    body.replaceChildren(...children);
    if (focused) {
      const again = body.querySelector('.step-row[data-step="' + focused.dataset.step + '"] .step-open');
      if (again) again.focus();
    }
    layoutTimeline();
  }

  /** Places every bar for the current "now": running steps grow, the axis stretches. */
  function layoutTimeline() {
    const start = Date.parse(summary.started_at);
    const end = traceNow();
    const total = Math.max(1, end - start);
    const ticks = document.querySelectorAll('#timeline-body .tick');
    ticks.forEach((t, i) => { t.textContent = fmt.duration(Math.floor(total * i / 4)); });
    for (const { bar, text, step } of bars) {
      const from = step.started_at ? Date.parse(step.started_at) : start;
      const fromMs = Math.max(0, from - start);
      const length = step.outcome === 'open' ? Math.max(0, end - from) : step.duration_ms;
      const left = Math.min(100, fromMs * 100 / total);
      const width = Math.max(MIN_WIDTH, Math.min(100 - left, length * 100 / total));
      bar.style.left = left.toFixed(3) + '%';
      bar.style.width = width.toFixed(3) + '%';
      text.textContent = fmt.duration(length);
      let title = stepName(step) + ' · ' + step.kind + ' · ' + fmt.duration(length) + ' · ' + step.outcome;
      if (step.plumbing) title += ' · ' + step.plumbing + ' framework step';
      if (step.error && step.error.message) title += ' · ' + step.error.message;
      bar.title = title;
    }
    document.getElementById('stat-duration').textContent = fmt.duration(end - start);
  }

  // ---------------------------------------------------------------- agent graph

  function renderGraph() {
    const graph = document.getElementById('graph-svg');
    const agents = new Map(summary.agents.map(a => [a.agent_id, a]));
    const rowsAt = new Map();
    const positions = new Map();
    let maxDepth = 0;
    let maxRows = 0;
    const nodes = [];
    for (const n of summary.graph.nodes) {
      const row = rowsAt.get(n.depth) || 0;
      rowsAt.set(n.depth, row + 1);
      maxDepth = Math.max(maxDepth, n.depth);
      maxRows = Math.max(maxRows, row + 1);
      const x = NODE.pad + n.depth * (NODE.w + NODE.colGap);
      const y = NODE.pad + row * (NODE.h + NODE.rowGap);
      positions.set(n.agent_id, { x, y });
      const a = agents.get(n.agent_id);
      const state = a ? a.state : 'idle';
      const work = a ? a.tasks + a.llm_calls + a.tool_calls : 0;
      const detail = a ? state + ' · ' + work + (work === 1 ? ' step' : ' steps') : state;
      const label = n.agent_id.length <= NODE.maxLabel ? n.agent_id : n.agent_id.slice(0, NODE.maxLabel - 1) + '…';
      nodes.push(svg('g', { class: 'node state-' + state, transform: 'translate(' + x + ',' + y + ')', 'data-agent': n.agent_id },
        svg('title', {}, n.agent_id + ': ' + detail),
        svg('rect', { width: NODE.w, height: NODE.h, rx: 8 }),
        svg('circle', { class: 'node-dot', cx: 15, cy: 22, r: 5 }),
        svg('text', { class: 'node-name', x: 28, y: 19 }, label),
        svg('text', { class: 'node-detail', x: 28, y: 34 }, detail)));
    }
    const edges = [];
    for (const e of summary.graph.edges) {
      const from = positions.get(e.from);
      const to = positions.get(e.to);
      if (!from || !to) continue;
      const x1 = from.x + NODE.w, y1 = from.y + NODE.h / 2, x2 = to.x, y2 = to.y + NODE.h / 2;
      const bend = Math.max(36, Math.floor(Math.abs(x2 - x1) / 2));
      const d = 'M' + x1 + ' ' + y1 + ' C' + (x1 + bend) + ' ' + y1 + ' ' + (x2 - bend) + ' ' + y2 + ' ' + x2 + ' ' + y2;
      edges.push(svg('g', { class: 'edge edge-' + e.kind },
        svg('title', {}, e.from + ' → ' + e.to + ' (' + e.kind + ' ×' + e.count + ')'),
        svg('path', { d, 'marker-end': 'url(#arrow)' }),
        e.count > 1 ? svg('text', { class: 'edge-count', x: Math.floor((x1 + x2) / 2), y: Math.floor((y1 + y2) / 2) - 4 }, '×' + e.count) : null));
    }
    const width = NODE.pad * 2 + (maxDepth + 1) * NODE.w + maxDepth * NODE.colGap;
    const height = NODE.pad * 2 + Math.max(1, maxRows) * NODE.h + Math.max(0, maxRows - 1) * NODE.rowGap;
    graph.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    graph.setAttribute('width', width);
    graph.setAttribute('height', height);
    graph.querySelector('g.edges').replaceChildren(...edges);
    graph.querySelector('g.nodes').replaceChildren(...nodes);
  }

  // ---------------------------------------------------------------- failure panel

  function errorText(error) {
    if (!error) return '';
    return [error.type, error.message].filter(x => x !== null && x !== undefined).join(': ');
  }

  /**
   * An error's parts kept apart, as the template's error-parts fragment draws them: the type, the
   * message, and the stack trace (often several KB) in a collapsed <details>. `key` names the
   * details so a reader who opened it keeps it open through the next summary's redraw.
   */
  function errorParts(error, key, openKeys) {
    const parts = [];
    if (error.type !== null && error.type !== undefined) parts.push(el('p', { class: 'error-type mono' }, error.type));
    if (error.message !== null && error.message !== undefined) parts.push(el('pre', { class: 'error-text' }, error.message));
    if (error.stacktrace !== null && error.stacktrace !== undefined) {
      parts.push(el('details', { class: 'error-stack', 'data-key': key, open: openKeys.has(key) },
        el('summary', {}, 'Stack trace'),
        el('pre', { class: 'stack-text' }, error.stacktrace)));
    }
    return parts;
  }

  function renderFailure() {
    const card = document.getElementById('failure');
    const f = summary.failures;
    const ff = f.first_failure;
    const parts = [];
    const openKeys = new Set(Array.from(document.querySelectorAll('#failure-body details.error-stack[open]'), d => d.dataset.key));
    if (ff) {
      const step = ff.name || ff.kind;
      parts.push(el('p', { class: 'failure-head' },
        el('span', { class: 'failure-agent' }, ff.agent_id), ' ',
        el('span', { class: 'subtle' }, '·'), ' ',
        el('span', { class: 'failure-step' }, step), ' ',
        el('span', { class: 'subtle' }, '(' + ff.kind + ') at ' + fmt.offset(ff.failed_at, summary.started_at))));
      if (ff.error) parts.push(...errorParts(ff.error, 'step', openKeys));
      if (ff.caller_chain.length > 0) {
        const chain = el('ol', { class: 'caller-chain' });
        ff.caller_chain.forEach(c => chain.append(el('li', {},
          el('span', { class: 'chain-agent' }, agentName(c.agent_id)), ' ', el('span', { class: 'subtle' }, c.name || 'step'))));
        chain.append(el('li', { class: 'chain-failed' },
          el('span', { class: 'chain-agent' }, ff.agent_id), ' ', el('span', { class: 'subtle' }, step)));
        parts.push(el('h3', {}, 'Called by ', el('span', { class: 'subtle' }, '(outermost first)')), chain);
      }
      parts.push(el('p', { class: 'subtle' }, f.failed_steps + ' failed step' + (f.failed_steps === 1 ? '' : 's') + ' in all'));
    }
    if (f.workflow_error) {
      parts.push(el('h3', {}, 'Workflow failed'), ...errorParts(f.workflow_error, 'workflow', openKeys));
    }
    if (parts.length === 0) parts.push(el('p', { class: 'ok' }, 'No failures.'));
    card.classList.toggle('has-failure', Boolean(ff || f.workflow_error));
    document.getElementById('failure-body').replaceChildren(...parts);
  }

  // ---------------------------------------------------------------- usage

  function usageTable(caption, header, byName, total, emptyText) {
    const rows = Object.entries(byName).map(([name, u]) => el('tr', {},
      el('th', { scope: 'row', title: name }, name),
      el('td', { class: 'num' }, fmt.tokens(u.input_tokens)),
      el('td', { class: 'num' }, fmt.tokens(u.output_tokens)),
      el('td', { class: 'num' + (u.cost_usd === null ? ' unknown' : ''), title: fmt.costTitle(u) }, fmt.usageCost(u))));
    if (rows.length === 0 && emptyText) rows.push(el('tr', {}, el('td', { colspan: 4, class: 'subtle' }, emptyText)));
    const table = el('table', { class: 'usage' },
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, header), el('th', { scope: 'col', class: 'num' }, 'Input'),
        el('th', { scope: 'col', class: 'num' }, 'Output'), el('th', { scope: 'col', class: 'num' }, 'Cost'))),
      el('tbody', {}, ...rows));
    if (total) {
      table.append(el('tfoot', {}, el('tr', {}, el('th', { scope: 'row' }, 'Total'),
        el('td', { class: 'num' }, fmt.tokens(total.input_tokens)), el('td', { class: 'num' }, fmt.tokens(total.output_tokens)),
        el('td', { class: 'num' + (total.cost_usd === null ? ' unknown' : ''), title: fmt.costTitle(total) }, fmt.usageCost(total)))));
    }
    return table;
  }

  function renderUsage() {
    const u = summary.usage;
    const parts = [usageTable('By agent', 'Agent', u.by_agent, u.total, null),
      usageTable('By model', 'Model', u.by_model, null, 'No LLM calls yet.')];
    if (u.models_without_price.length > 0) {
      parts.push(el('p', { class: 'subtle note' }, 'No price configured for ' + u.models_without_price.join(', ')
        + ' (tracestream.pricing.models): their cost is unknown, never guessed.'));
    }
    if (u.total.estimated_cost_usd > 0) {
      const t = u.price_table;
      parts.push(el('p', { class: 'subtle note estimate' }, 'Costs marked ~ are partly estimated from token counts and model prices: '
        + 'tracestream.pricing.models' + (t ? ', then the price table ' + t.source + ' ' + t.version + ' (' + t.date + ')' : '')
        + '. The rest was reported by the agents.'));
    }
    document.getElementById('usage-body').replaceChildren(...parts);
  }

  // ---------------------------------------------------------------- event log

  function eventText(e) {
    const parts = [];
    const a = e.attributes || {};
    const add = v => { if (v !== null && v !== undefined && String(v).trim() !== '') parts.push(String(v)); };
    if (e.error) parts.push(errorText(e.error));
    switch (e.event_type) {
      case 'agent_transition': case 'message':
        if (a.to_agent !== null && a.to_agent !== undefined) parts.push('→ ' + a.to_agent);
        add(a.reason); add(a.content); break;
      case 'llm_call':
        add(e.model);
        if (e.input_tokens != null || e.output_tokens != null) {
          parts.push(fmt.tokens(e.input_tokens) + ' in / ' + fmt.tokens(e.output_tokens) + ' out');
        }
        add(a.purpose); break;
      case 'tool_call': add(a.tool); break;
      case 'task_started': case 'task_completed': case 'task_failed': case 'agent_called': add(e.task_id); break;
      default: break;
    }
    add(a.message);
    if (e.duration_ms !== null && e.duration_ms !== undefined) parts.push(fmt.duration(e.duration_ms));
    const text = parts.join(' · ');
    return text.length <= MAX_TEXT ? text : text.slice(0, MAX_TEXT - 1) + '…';
  }

  function matchesFilter(li) {
    return (!typeFilter.value || li.dataset.type === typeFilter.value)
      && (!agentFilter.value || li.dataset.agent === agentFilter.value);
  }

  function addOption(select, value) {
    const options = Array.from(select.options).slice(1);
    if (options.some(o => o.value === value)) return;
    const option = el('option', { value }, value);
    const after = options.find(o => o.value > value);
    select.insertBefore(option, after || null);
  }

  function updateLogCount() {
    const shown = Array.from(log.children).filter(li => !li.hidden).length;
    const all = log.children.length;
    document.getElementById('log-count').textContent = shown === all ? all + ' events' : shown + ' of ' + all + ' events';
  }

  // ---- whose event: a stand-in's real agent, as the summary settled it (EventRow, SpanAgents)

  const STAND_IN = 'service'; // attributes.agent_source of an event that names the service for an agent not known yet

  /** Span id -> agent of the summary's tasks and calls (they carry their events' span id); placeholders have no events. */
  function spanAgentsOf(s) {
    const agents = new Map();
    for (const step of s.steps) {
      if (!step.placeholder && step.span_id !== null && step.agent_id !== null) agents.set(step.span_id, step.agent_id);
    }
    return agents;
  }

  function standInTitle(standIn) {
    return 'reported as ' + standIn + ' (the service, standing in until its agent was known)';
  }

  /** Shows the agent the summary knows for a stand-in row, once it does; true when the row changed. */
  function labelAgent(li) {
    const standIn = li.dataset.standIn;
    const shown = spanAgents.get(li.dataset.span) || standIn;
    if (li.dataset.agent === shown) return false;
    li.dataset.agent = shown;
    const label = li.querySelector('.ev-agent');
    label.textContent = shown;
    if (shown === standIn) label.removeAttribute('title'); else label.title = standInTitle(standIn);
    return true;
  }

  /** After a summary: the stand-in rows whose agent became known read as the timeline does, and filter by it. */
  function relabelLog() {
    let changed = false;
    for (const li of log.querySelectorAll('li[data-stand-in]')) {
      if (labelAgent(li)) {
        changed = true;
        li.hidden = !matchesFilter(li);
      }
    }
    if (!changed) return;
    syncAgentOptions();
    updateLogCount();
  }

  /** The agent filter offers the agents the rows show (and keeps the one chosen, even if no row shows it now). */
  function syncAgentOptions() {
    const shown = new Set(Array.from(log.children, li => li.dataset.agent));
    for (const option of Array.from(agentFilter.options).slice(1)) {
      if (!shown.has(option.value) && option.value !== agentFilter.value) option.remove();
    }
    shown.forEach(agent => addOption(agentFilter, agent));
  }

  // ---- where an event goes: the order things happened, for a trace of spans (EventLog)

  /** An ISO-8601 UTC time that sorts as text: the fraction padded to nanoseconds (Instant.toString drops zeros). */
  function timeKey(iso) {
    if (!iso) return '\uffff'; // no time: last, as the server lists it
    const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(iso);
    return m ? m[1] + '.' + (m[2] || '').padEnd(9, '0') : iso;
  }

  /** Store ids (<millis>-<sequence>) compared as numbers, digit strings and all (no float rounding). */
  function compareIds(a, b) {
    const pa = String(a).split('-');
    const pb = String(b).split('-');
    for (let i = 0; i < 2; i++) {
      const x = pa[i] || '0';
      const y = pb[i] || '0';
      if (x.length !== y.length) return x.length - y.length;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  }

  function compareRows(a, b) {
    const ka = timeKey(a.dataset.at);
    const kb = timeKey(b.dataset.at);
    return ka !== kb ? (ka < kb ? -1 : 1) : compareIds(a.dataset.id, b.dataset.id);
  }

  /** The first span event of a trace that began with others: from now on the log is in time order. */
  function switchToTimeOrder() {
    inTimeOrder = true;
    log.dataset.order = 'time';
    log.replaceChildren(...Array.from(log.children).sort(compareRows));
  }

  /** Puts the row at its place in time: after every row that happened before it or at the same time with a lower id. */
  function insertRow(li) {
    let after = log.lastElementChild;
    // Most events come in order: look from the end.
    while (after && compareRows(after, li) > 0) after = after.previousElementSibling;
    log.insertBefore(li, after ? after.nextElementSibling : log.firstElementChild);
  }

  function appendEvent(id, e) {
    if (seen.has(id)) {
      duplicates++; // should never happen: the stream resumes after the last id; counted so tests can prove it
      log.dataset.duplicates = String(duplicates);
      return;
    }
    seen.add(id);
    const failed = /_failed$/.test(e.event_type) || Boolean(e.error) || e.status === 'failed';
    const attributes = e.attributes || {};
    const standIn = attributes.agent_source === STAND_IN ? e.agent_id : null;
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    const call = CALL_TYPES.has(e.event_type);
    const said = saidLine(e.content);
    const li = el('li', { class: 'event fresh' + (failed ? ' failed' : ''), 'data-id': id, 'data-type': e.event_type,
      'data-agent': e.agent_id, 'data-at': e.timestamp, 'data-stand-in': standIn, 'data-span': standIn === null ? null : e.span_id },
      el('details', {},
        el('summary', {},
          el('span', { class: 'ev-offset mono', title: e.timestamp || '' }, fmt.offset(e.timestamp, summary.started_at)),
          el('span', { class: 'ev-type type-' + e.event_type }, e.event_type),
          el('span', { class: 'ev-agent' }, e.agent_id),
          el('span', { class: 'ev-text' }, eventText(e)),
          call ? el('button', { type: 'button', class: 'button small ev-open', 'aria-controls': 'conversation' },
            e.event_type === 'llm_call' ? 'Conversation' : 'Arguments and result') : null,
          said === null ? null : el('span', { class: 'ev-said', title: saidTitle(e.content) }, said)),
        // The event as stored, stand-in and all: the label above may know better, the JSON never pretends to.
        el('pre', { class: 'ev-json' }, JSON.stringify(e, null, 4))));
    if (standIn !== null) labelAgent(li);
    addOption(typeFilter, e.event_type);
    addOption(agentFilter, li.dataset.agent);
    li.hidden = !matchesFilter(li);
    if (!inTimeOrder && 'agent_source' in attributes) switchToTimeOrder();
    if (inTimeOrder) insertRow(li); else log.append(li);
    if (atBottom) log.scrollTop = log.scrollHeight;
    updateLogCount();
  }

  function applyFilter() {
    for (const li of log.children) li.hidden = !matchesFilter(li);
    updateLogCount();
    log.scrollTop = log.scrollHeight;
  }
  typeFilter.addEventListener('change', applyFilter);
  agentFilter.addEventListener('change', applyFilter);

  // ---------------------------------------------------------------- what a call said

  /*
   * A model or tool call, clicked on the timeline or in the event log, opens its conversation in
   * a side panel: the event's facts (model, tokens, cost), then the content the store kept, read
   * from /traces/{trace_id}/events/{id}/content: system instructions, the input messages as a chat,
   * the model's answer, tool calls with their arguments and results as pretty-printed JSON. Long
   * texts are folded to their start with a toggle. Like everything else here, every part of it is
   * set as text: a message holding markup shows the markup.
   */
  const CALL_TYPES = new Set(['llm_call', 'tool_call']);
  const FOLD_CHARS = 1500;          // a text longer than this, or of more lines, shows its start
  const FOLD_LINES = 20;
  const MAX_PREVIEW = 160;          // each preview in the log's line, as EventRow.MAX_PREVIEW
  const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

  const panel = document.getElementById('conversation');
  const panelTitle = document.getElementById('conversation-title');
  const panelMeta = document.getElementById('conversation-meta');
  const panelBody = document.getElementById('conversation-body');
  let shownCall = null;             // the store id of the event shown in the panel
  let shownStep = null;             // its step on the timeline, when found
  let panelOpener = null;           // what opened the panel: focus goes back there when it closes
  let contentRequest = 0;           // the latest read: an older answer (a previous click) must not draw over it

  // ---- the log's line: what was asked and answered, as EventRow words it

  function previewOf(content, name) {
    const v = content && typeof content[name] === 'string' ? content[name] : null;
    return v === null || v.trim() === '' ? null : v;
  }

  function quote(s) {
    return '“' + s + '”';
  }

  function oneLine(s) {
    const line = s.trim().replace(/\s+/g, ' ');
    return line.length <= MAX_PREVIEW ? line : line.slice(0, MAX_PREVIEW - 1) + '…';
  }

  /** “asked” → “answered”, or null when the event carries no previews. */
  function saidLine(content) {
    const input = previewOf(content, 'input_preview');
    const output = previewOf(content, 'output_preview');
    if (input === null && output === null) return null;
    if (output === null) return quote(oneLine(input));
    return input === null ? '→ ' + quote(oneLine(output)) : quote(oneLine(input)) + ' → ' + quote(oneLine(output));
  }

  function saidTitle(content) {
    const input = previewOf(content, 'input_preview');
    const output = previewOf(content, 'output_preview');
    const lines = [];
    if (input !== null) lines.push('Input: ' + input);
    if (output !== null) lines.push('Output: ' + output);
    return lines.length === 0 ? null : lines.join('\n');
  }

  // ---- which event a timeline step is: a step is one call event, matched by kind, span and name

  const parsedEvents = new WeakMap(); // row -> its event, read once from the JSON it shows

  function eventOf(li) {
    if (!parsedEvents.has(li)) {
      let e = null;
      try {
        e = JSON.parse(li.querySelector('.ev-json').textContent);
      } catch (err) {
        e = null;
      }
      parsedEvents.set(li, e);
    }
    return parsedEvents.get(li);
  }

  /** What the summary names a call step: the model, or the tool (TraceFold.call). */
  function callName(e) {
    const a = e.attributes || {};
    return e.event_type === 'llm_call' ? (e.model || 'llm') : (a.tool !== null && a.tool !== undefined ? String(a.tool) : 'tool');
  }

  function sameKey(kind, spanId, name) {
    return x => x.kind === kind && (x.span_id || null) === (spanId || null) && x.name === name;
  }

  /**
   * The calls of one kind, span and name, in the order they ended: steps by end time then
   * index, events by time then id. A step and an event of the same rank are the same call.
   */
  function callRows(kind, spanId, name) {
    const match = sameKey(kind, spanId, name);
    return Array.from(log.querySelectorAll('li[data-type="' + kind + '"]'))
      .map(li => ({ li, e: eventOf(li) }))
      .filter(r => r.e && match({ kind: r.e.event_type, span_id: r.e.span_id, name: callName(r.e) }))
      .sort((a, b) => compareRows(a.li, b.li));
  }

  function callSteps(kind, spanId, name) {
    const match = sameKey(kind, spanId, name);
    return summary.steps.filter(step => !step.placeholder && match(step)).sort((a, b) => {
      const ka = timeKey(a.ended_at || a.started_at);
      const kb = timeKey(b.ended_at || b.started_at);
      return ka !== kb ? (ka < kb ? -1 : 1) : a.index - b.index;
    });
  }

  function rowOfStep(step) {
    const steps = callSteps(step.kind, step.span_id, step.name);
    const rank = steps.findIndex(s => s.index === step.index);
    const rows = callRows(step.kind, step.span_id, step.name);
    return rank >= 0 && rank < rows.length ? rows[rank].li : null;
  }

  function stepOfRow(li) {
    const e = eventOf(li);
    if (!e) return null;
    const name = callName(e);
    const rows = callRows(e.event_type, e.span_id, name);
    const rank = rows.findIndex(r => r.li === li);
    const steps = callSteps(e.event_type, e.span_id, name);
    return rank >= 0 && rank < steps.length ? steps[rank] : null;
  }

  // ---- the panel

  function markSelected() {
    for (const old of document.querySelectorAll('#timeline-body .step-row.selected, #event-log li.selected')) old.classList.remove('selected');
    if (shownStep !== null) {
      const row = document.querySelector('#timeline-body .step-row[data-step="' + shownStep + '"]');
      if (row) row.classList.add('selected');
    }
    if (shownCall !== null) {
      const li = Array.from(log.children).find(x => x.dataset.id === shownCall);
      if (li) li.classList.add('selected');
    }
  }

  function openCall(li, step, opener) {
    const e = eventOf(li);
    if (!e) return;
    shownCall = li.dataset.id;
    shownStep = step ? step.index : null;
    panelOpener = opener || null;
    markSelected();
    const kind = e.event_type === 'llm_call' ? 'Model call' : 'Tool call';
    panelTitle.textContent = kind + ' · ' + callName(e);
    panelMeta.textContent = [li.dataset.agent, fmt.offset(e.timestamp, summary.started_at), shownCall].filter(Boolean).join(' · ');
    panel.dataset.eventId = shownCall;
    panel.dataset.state = 'loading';
    panelBody.replaceChildren(...callFacts(e), el('p', { class: 'subtle conv-loading' }, 'Loading what was said…'));
    panel.hidden = false;
    document.body.classList.add('conversation-open');
    panelTitle.focus();
    loadContent(shownCall, e);
  }

  function closeCall() {
    if (panel.hidden) return;
    panel.hidden = true;
    document.body.classList.remove('conversation-open');
    contentRequest++;
    // Focus goes back to what opened the panel; a summary may have redrawn the timeline meanwhile: then to the same call's new button.
    let opener = panelOpener && panelOpener.isConnected ? panelOpener : null;
    if (!opener && panelOpener && shownStep !== null) opener = document.querySelector('#timeline-body .step-row[data-step="' + shownStep + '"] .step-open');
    shownCall = null;
    shownStep = null;
    panelOpener = null;
    markSelected();
    if (opener) opener.focus();
  }

  document.getElementById('conversation-close').addEventListener('click', closeCall);
  document.addEventListener('keydown', event => {
    if (event.key === 'Escape' && !panel.hidden) closeCall();
  });

  // From the timeline: the row of a call step (its name is a button; the bar is clicked as well).
  document.getElementById('timeline-body').addEventListener('click', event => {
    const row = event.target.closest('.step-row.callable');
    if (!row) return;
    const index = Number(row.dataset.step);
    const step = summary.steps.find(s => s.index === index);
    if (!step) return;
    const li = rowOfStep(step);
    const opener = row.querySelector('.step-open');
    if (li) {
      openCall(li, step, opener);
    } else {
      // Its event is not in the log (trimmed from a long trace): say so rather than show nothing.
      shownCall = null;
      shownStep = step.index;
      panelOpener = opener;
      markSelected();
      panelTitle.textContent = (step.kind === 'llm_call' ? 'Model call' : 'Tool call') + ' · ' + step.name;
      panelMeta.textContent = agentName(step.agent_id);
      panel.dataset.state = 'missing';
      delete panel.dataset.eventId;
      panelBody.replaceChildren(el('p', { class: 'subtle' }, 'This call\'s event is not in the page\'s event log, so its content cannot be read here.'));
      panel.hidden = false;
      document.body.classList.add('conversation-open');
      panelTitle.focus();
    }
  });

  // From the event log: the row's button (the row itself still expands to the event's JSON).
  log.addEventListener('click', event => {
    const button = event.target.closest('.ev-open');
    if (!button) return;
    event.preventDefault(); // a button in a <summary>: open the panel, do not expand the row
    event.stopPropagation();
    const li = button.closest('li.event');
    openCall(li, stepOfRow(li), button);
  });

  /** The event's own facts (who, the model or tool, tokens, cost, time, how it ended), and the notes on its content. */
  function callFacts(e, doc) {
    const facts = [];
    const add = (term, value, cls) => {
      if (value !== null && value !== undefined && String(value) !== '') {
        facts.push(el('div', {}, el('dt', {}, term), el('dd', { class: cls || null }, String(value))));
      }
    };
    const a = e.attributes || {};
    if (e.event_type === 'llm_call') {
      add('Model', e.model);
      if (e.input_tokens != null || e.output_tokens != null) {
        add('Tokens', fmt.tokens(e.input_tokens) + ' in / ' + fmt.tokens(e.output_tokens) + ' out');
      }
      add('Cost', e.cost_usd === null || e.cost_usd === undefined ? null : fmt.money(Number(e.cost_usd)));
    } else {
      add('Tool', a.tool);
    }
    add('Agent', e.agent_id);
    if (e.duration_ms !== null && e.duration_ms !== undefined) add('Duration', fmt.duration(e.duration_ms));
    add('Status', e.status);
    if (e.error) add('Error', errorText(e.error), 'bad');
    const parts = facts.length ? [el('dl', { class: 'conv-facts' }, ...facts)] : [];
    return parts.concat(contentNotes(e.content, doc || null));
  }

  function bytes(n) {
    return n < 1024 ? n + ' bytes' : n < 1048576 ? (n / 1024).toFixed(1) + ' KB' : (n / 1048576).toFixed(1) + ' MB';
  }

  function count(v) {
    return typeof v === 'number' && isFinite(v) ? v : null;
  }

  function plural(n, one, many) {
    return fmt.tokens(n) + ' ' + (n === 1 ? one : many);
  }

  /**
   * What the reader must know about what is shown: cut to the size limit (the document's
   * `truncated` says how: original_bytes, limit_bytes, texts_cut, messages_dropped), secrets replaced.
   */
  function contentNotes(content, doc) {
    const notes = [];
    const cut = doc && doc.truncated && typeof doc.truncated === 'object' ? doc.truncated : {};
    if ((content && content.truncated === true) || (doc && doc.truncated)) {
      const details = [];
      const original = count(cut.original_bytes);
      const kept = count(cut.kept_bytes) !== null ? count(cut.kept_bytes) : content && content.kept ? count(content.bytes) : null;
      const limit = count(cut.limit_bytes);
      if (original !== null && kept !== null) details.push(bytes(kept) + ' kept of ' + bytes(original));
      else if (original !== null) details.push(bytes(original) + ' sent' + (limit !== null ? ', at most ' + bytes(limit) + ' kept' : ''));
      if (count(cut.texts_cut)) details.push(plural(cut.texts_cut, 'text', 'texts') + ' cut short, each ending with a mark of its full length');
      if (count(cut.messages_dropped)) {
        details.push(plural(cut.messages_dropped, 'input message', 'input messages') + ' left out, the oldest (the first one kept)');
      }
      notes.push(el('p', { class: 'conv-note conv-truncated' }, 'Truncated: the content was cut to the size limit'
        + (details.length ? ': ' + details.join('; ') : '') + '.'));
    }
    if (content && typeof content.redacted === 'number' && content.redacted > 0) {
      notes.push(el('p', { class: 'conv-note conv-redacted' }, 'Redacted: ' + content.redacted + ' secret'
        + (content.redacted === 1 ? ' was' : 's were') + ' replaced by [REDACTED] before the content was stored.'));
    }
    return notes;
  }

  /** The previews the event carries, for a call whose full content is not stored. */
  function previewParts(content) {
    const parts = [];
    const input = previewOf(content, 'input_preview');
    const output = previewOf(content, 'output_preview');
    if (input !== null) parts.push(el('h3', {}, 'Input (preview)'), foldedText(input));
    if (output !== null) parts.push(el('h3', {}, 'Output (preview)'), foldedText(output));
    return parts;
  }

  function contentUrl(id) {
    return traceUrl + '/events/' + encodeURIComponent(id) + '/content';
  }

  function showContent(state, e, doc, ...parts) {
    panel.dataset.state = state;
    panelBody.replaceChildren(...callFacts(e, doc), ...parts);
  }

  async function loadContent(id, e) {
    const request = ++contentRequest;
    const content = e.content;
    if (!content) {
      showContent('none', e, null, el('p', { class: 'subtle conv-note' }, 'No content was captured for this call: the producer sent none, '
        + 'or tracestream.content.capture is none.'));
      return;
    }
    if (content.kept === false) {
      showContent('previews', e, null, ...previewParts(content), el('p', { class: 'subtle conv-note' },
        'Only previews were kept of this call (tracestream.content.capture is metadata, or the content was dropped).'));
      return;
    }
    try {
      const response = await fetch(contentUrl(id), { headers: { Accept: 'application/json' }, cache: 'no-store' });
      if (request !== contentRequest) return;
      if (response.status === 401) {
        checkSession();
        showContent('error', e, null, el('p', { class: 'conv-note' }, 'Signed out: sign in again to read this call\'s content.'));
        return;
      }
      if (response.status === 404) {
        showContent('missing', e, null, ...previewParts(content), el('p', { class: 'subtle conv-note' },
          'The full content of this call is not stored (it expired or was never kept).'));
        return;
      }
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const doc = await response.json();
      if (request !== contentRequest) return;
      showContent('loaded', e, doc, ...documentParts(doc, e));
    } catch (err) {
      if (request !== contentRequest) return;
      showContent('error', e, null, ...previewParts(content), el('p', { class: 'conv-note bad' },
        'The content could not be read: ' + (err && err.message ? err.message : err) + '. Click the call again to retry.'));
    }
  }

  // ---- the document: GenAI-shaped messages and parts, drawn as text

  function documentParts(doc, e) {
    const parts = [];
    if (Array.isArray(doc.system_instructions) && doc.system_instructions.length > 0) {
      parts.push(el('section', { class: 'conv-section conv-system' }, el('h3', {}, 'System instructions'),
        ...doc.system_instructions.map(partView)));
    }
    if (Array.isArray(doc.input) && doc.input.length > 0) {
      parts.push(el('section', { class: 'conv-section conv-input' }, el('h3', {}, 'Input'), ...doc.input.map(messageView)));
    }
    if (Array.isArray(doc.output) && doc.output.length > 0) {
      parts.push(el('section', { class: 'conv-section conv-output' }, el('h3', {}, e.event_type === 'llm_call' ? 'Answer' : 'Output'),
        ...doc.output.map(messageView)));
    }
    const tool = doc.tool_call;
    if (tool && typeof tool === 'object') {
      const section = el('section', { class: 'conv-section conv-tool' }, el('h3', {}, 'Tool call' + (tool.name ? ': ' + tool.name : '')));
      if ('arguments' in tool) section.append(el('h4', {}, 'Arguments'), jsonView(tool.arguments, 'conv-arguments'));
      if ('result' in tool) section.append(el('h4', {}, 'Result'), jsonView(tool.result, 'conv-result'));
      parts.push(section);
    }
    if (doc.tool_definitions !== undefined && doc.tool_definitions !== null) {
      const count = Array.isArray(doc.tool_definitions) ? doc.tool_definitions.length : null;
      parts.push(el('details', { class: 'conv-section conv-tools' },
        el('summary', {}, 'Tools offered' + (count === null ? '' : ' (' + count + ')')), jsonView(doc.tool_definitions)));
    }
    if (parts.length === 0) parts.push(el('p', { class: 'subtle' }, 'The stored content is empty.'));
    return parts;
  }

  function messageView(m) {
    if (!m || typeof m !== 'object') return el('div', { class: 'msg msg-other' }, jsonView(m));
    const role = typeof m.role === 'string' && m.role !== '' ? m.role : 'message';
    let parts = Array.isArray(m.parts) ? m.parts : [];
    if (!Array.isArray(m.parts) && typeof m.content === 'string') parts = [{ type: 'text', content: m.content }];
    const message = el('article', { class: 'msg msg-' + (ROLES.has(role) ? role : 'other'), 'data-role': role },
      el('header', { class: 'msg-role' }, role));
    parts.forEach(p => message.append(partView(p)));
    if (parts.length === 0) message.append(el('p', { class: 'subtle' }, '(nothing said)'));
    if (m.finish_reason !== null && m.finish_reason !== undefined) {
      message.append(el('p', { class: 'msg-finish subtle' }, 'finish reason: ' + m.finish_reason));
    }
    return message;
  }

  function partView(p) {
    if (!p || typeof p !== 'object') return jsonView(p);
    switch (p.type) {
      case 'text':
        return foldedText(p.content === null || p.content === undefined ? '' : String(p.content));
      case 'tool_call':
        return el('div', { class: 'part part-tool-call' },
          el('p', { class: 'part-head' }, 'Calls tool ', el('span', { class: 'mono' }, p.name === undefined ? '?' : String(p.name)),
            p.id ? el('span', { class: 'subtle' }, ' (' + p.id + ')') : null),
          'arguments' in p ? jsonView(p.arguments, 'conv-arguments') : null);
      case 'tool_call_response':
        return el('div', { class: 'part part-tool-response' },
          el('p', { class: 'part-head' }, 'Tool result', p.id ? el('span', { class: 'subtle' }, ' (' + p.id + ')') : null),
          jsonView(p.response, 'conv-result'));
      case 'blob': case 'file': case 'uri':
        return el('p', { class: 'part part-media' }, p.placeholder ? String(p.placeholder) : '[' + (p.modality || p.type) + ']');
      default:
        return el('div', { class: 'part part-other' }, jsonView(p));
    }
  }

  /**
   * Any JSON, pretty-printed. A string that holds a JSON object or array (many SDKs send a tool's
   * arguments so) is read and pretty-printed too; any other string shows as it is.
   */
  function jsonView(value, cls) {
    if (typeof value === 'string') {
      const t = value.trim();
      if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
        try {
          value = JSON.parse(t);
        } catch (notJson) {
          return foldedText(value, cls);
        }
      } else {
        return foldedText(value, cls);
      }
    }
    return foldedText(value === undefined ? 'null' : JSON.stringify(value, null, 2), 'conv-json' + (cls ? ' ' + cls : ''));
  }

  /** A text whole, or, when long, its start and a toggle to show all of it (and fold it again). */
  function foldedText(text, cls) {
    const pre = el('pre', { class: 'conv-text' + (cls ? ' ' + cls : '') });
    const lines = text.split('\n');
    if (text.length <= FOLD_CHARS && lines.length <= FOLD_LINES) {
      pre.textContent = text;
      return pre;
    }
    let start = lines.slice(0, FOLD_LINES).join('\n');
    if (start.length > FOLD_CHARS) start = start.slice(0, FOLD_CHARS);
    start += '…';
    const size = fmt.tokens(text.length) + ' characters, ' + fmt.tokens(lines.length) + (lines.length === 1 ? ' line' : ' lines');
    pre.textContent = start;
    pre.dataset.folded = 'true';
    const button = el('button', { type: 'button', class: 'button small fold-toggle', 'aria-expanded': 'false' }, 'Show all (' + size + ')');
    button.addEventListener('click', () => {
      const unfold = pre.dataset.folded === 'true';
      pre.textContent = unfold ? text : start;
      pre.dataset.folded = String(!unfold);
      button.setAttribute('aria-expanded', String(unfold));
      button.textContent = unfold ? 'Show less' : 'Show all (' + size + ')';
    });
    return el('div', { class: 'conv-fold' }, pre, button);
  }

  // ---------------------------------------------------------------- sequence diagram

  let diagramText = null;           // what is drawn, and whether unfolded: "true:sequenceDiagram..."
  let diagramTimer = null;
  let diagramEventCount = summary.event_count;
  let diagramRequest = 0;           // the latest refresh: an older one (the other fold, say) must not draw over it

  function diagramUrl() {
    return traceUrl + '/diagram' + (unfolded ? '?plumbing=true' : '');
  }

  function initMermaid() {
    if (!window.mermaid) return false;
    window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral',
      fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif', sequence: { useMaxWidth: true } });
    return true;
  }

  /** Mermaid renders into a detached-from-view copy first, so the shown diagram never flickers. */
  async function renderDiagram(text, unfoldedText, request) {
    const holder = diagramBody();
    const pre = el('pre', { class: 'mermaid' }, text);
    const staging = el('div', { class: 'diagram-staging', 'aria-hidden': 'true' }, pre);
    document.body.append(staging);
    try {
      await window.mermaid.run({ nodes: [pre] });
      if (request !== diagramRequest) return;
      holder.replaceChildren(pre);
    } catch (err) {
      if (request !== diagramRequest) return;
      holder.replaceChildren(el('p', { class: 'diagram-error' }, 'The diagram could not be drawn: ' + (err && err.message ? err.message : err)),
        el('pre', { class: 'mermaid' }, text));
    } finally {
      staging.remove();
    }
    diagramText = unfoldedText + ':' + text;
    holder.dataset.unfolded = unfoldedText;
  }

  async function refreshDiagram() {
    diagramTimer = null;
    const request = ++diagramRequest;
    const unfoldedText = String(unfolded);
    try {
      const response = await fetch(diagramUrl(), { cache: 'no-store' });
      if (!response.ok || request !== diagramRequest) return;
      const text = await response.text();
      if (request !== diagramRequest) return;
      // Unchanged: what is drawn stays, and an older refresh still drawing no longer may (it is not the latest).
      if (unfoldedText + ':' + text !== diagramText) await renderDiagram(text, unfoldedText, request);
    } catch (e) {
      // The next summary tries again.
    }
  }

  function diagramBody() {
    return document.getElementById('diagram-body');
  }

  function scheduleDiagram(now) {
    if (summary.event_count === diagramEventCount && !now) return;
    diagramEventCount = summary.event_count;
    if (now) { clearTimeout(diagramTimer); refreshDiagram(); return; }
    if (!diagramTimer) diagramTimer = setTimeout(refreshDiagram, DIAGRAM_DELAY_MS);
  }

  // ---------------------------------------------------------------- run alerts

  // The run guards' findings, by key in the order raised: the summary's `alerts`, kept current by
  // `alert` events (a resolution replaces its raise). Open ones head the page; past ones fold away.
  const alertsBox = document.getElementById('run-alerts');
  const ALERT_KINDS = { loop: 'Loop', budget: 'Budget', silent: 'Silent run', error_burst: 'Error burst', too_long: 'Too long' };
  const runAlerts = new Map();

  function takeAlerts(list) {
    (list || []).forEach(a => runAlerts.set(a.key, a));
  }

  function alertItem(a) {
    const ids = a.event_ids || [];
    return el('li', { class: 'run-alert sev-' + a.severity + (a.resolved ? ' resolved' : ''), 'data-kind': a.kind, 'data-key': a.key },
      el('span', { class: 'alert-sev' }, a.resolved ? 'resolved' : a.severity),
      el('strong', { class: 'alert-kind' }, ALERT_KINDS[a.kind] || a.kind),
      a.agent_id ? el('span', { class: 'alert-agent' }, a.agent_id) : null,
      el('span', { class: 'alert-message' }, a.message),
      ids.length === 0 ? null : el('span', { class: 'alert-evidence' }, ids.length === 1 ? 'event ' : 'events ',
        ...ids.map(id => el('a', { href: '#', class: 'alert-event mono', 'data-event': id, title: 'Show it in the event log' }, id))),
      el('details', { class: 'alert-details' }, el('summary', {}, 'Evidence'),
        el('pre', { class: 'alert-json' }, JSON.stringify(a.evidence || {}, null, 2))));
  }

  function renderAlerts() {
    const all = Array.from(runAlerts.values());
    const open = all.filter(a => !a.resolved);
    const past = all.filter(a => a.resolved);
    alertsBox.hidden = all.length === 0;
    alertsBox.dataset.open = String(open.length);
    alertsBox.replaceChildren(
      open.length === 0 ? null : el('ul', { class: 'run-alerts-open' }, ...open.map(alertItem)),
      past.length === 0 ? null : el('details', { class: 'run-alerts-past' },
        el('summary', {}, past.length + ' resolved alert' + (past.length === 1 ? '' : 's')),
        el('ul', {}, ...past.map(alertItem))));
  }

  /** Opens an event of the log, brought into view: the evidence of an alert. */
  function showEvent(id) {
    const li = Array.from(log.children).find(x => x.dataset.id === id);
    if (!li) return;
    if (li.hidden) { typeFilter.value = ''; agentFilter.value = ''; applyFilter(); }
    const details = li.querySelector('details');
    if (details) details.open = true;
    li.classList.add('evidence');
    setTimeout(() => li.classList.remove('evidence'), 2000);
    li.scrollIntoView({ block: 'nearest' });
  }

  alertsBox.addEventListener('click', event => {
    const link = event.target.closest('a.alert-event');
    if (!link) return;
    event.preventDefault();
    showEvent(link.dataset.event);
  });

  // ---------------------------------------------------------------- the stream

  function renderAll() {
    takeAlerts(summary.alerts);
    renderAlerts();
    renderStats();
    renderPlumbingToggles();
    renderTimeline();
    renderGraph();
    renderFailure();
    renderUsage();
  }

  let stream = null;                // the open EventSource, if any

  function connect() {
    let dropped = false;
    let reconnects = 0;
    const source = new EventSource(traceUrl + '/stream?summary=true&last_event_id=' + encodeURIComponent(lastEventId));
    stream = source;
    setConnection('connecting', 'Connecting…');
    source.onopen = () => {
      if (dropped) {
        reconnects++;
        connection.dataset.reconnects = String(reconnects);
        setConnection('resumed', 'Live · resumed', 'after ' + lastEventId);
      } else {
        setConnection('live', 'Live');
      }
    };
    source.onerror = () => {
      if (!finished) checkSession(); // an expired sign-in ends the stream and refuses its reconnect
      if (source.readyState === EventSource.CLOSED) {
        // 204 (nothing after the end) or 404 (expired): the browser stops for good.
        const ended = finished || lastEventType === 'workflow_completed' || lastEventType === 'workflow_failed';
        setConnection(ended ? 'finished' : 'offline', ended ? 'Finished · complete history' : 'Disconnected · reload to retry');
      } else if (!finished) {
        dropped = true;
        setConnection('reconnecting', 'Reconnecting…', 'will resume after ' + lastEventId);
      }
    };
    source.onmessage = message => {
      const event = JSON.parse(message.data);
      lastEventId = message.lastEventId || event.id;
      lastEventType = event.event_type;
      appendEvent(event.id || lastEventId, event);
    };
    source.addEventListener('alert', message => {
      const a = JSON.parse(message.data);
      lastEventId = message.lastEventId || a.id;
      runAlerts.set(a.key, a);
      renderAlerts();
    });
    source.addEventListener('summary', message => {
      summary = JSON.parse(message.data);
      summaryAt = Date.now();
      spanAgents = spanAgentsOf(summary);
      renderAll();
      relabelLog();
      scheduleDiagram(false);
    });
    source.addEventListener('end', () => {
      finished = true;
      source.close();
      setConnection('finished', 'Finished · complete history');
      scheduleDiagram(true);
    });
    source.addEventListener('history-truncated', () => {
      // Events we never saw were trimmed: a partial log would mislead, so start over from the page.
      source.close();
      setConnection('reconnecting', 'Reloading: older events were trimmed');
      location.reload();
    });
  }

  // ---------------------------------------------------------------- start

  log.scrollTop = log.scrollHeight;
  takeAlerts(summary.alerts);
  renderAlerts();
  renderPlumbingToggles();
  if (initMermaid()) {
    if (unfolded && plumbingCount() > 0) {
      refreshDiagram(); // unfolded earlier in this tab: the server drew it folded
    } else {
      diagramText = 'false:' + document.querySelector('#diagram-body pre.mermaid').textContent;
      diagramBody().dataset.unfolded = 'false';
      window.mermaid.run({ querySelector: '#diagram-body pre.mermaid' }).catch(err => {
        diagramBody().prepend(el('p', { class: 'diagram-error' }, 'The diagram could not be drawn: ' + (err && err.message ? err.message : err)));
      });
    }
  }
  renderTimeline();
  setInterval(() => { if (RUNNING.has(summary.status)) layoutTimeline(); }, TICK_MS);
  if (!finished) connect();

  // A page the reader left may be kept whole in the browser's back-forward cache, stream open; a
  // browser allows six connections per server, so a few such pages left the next page's requests
  // waiting for good. The stream closes when the page is left and, if the page comes back from that
  // cache, resumes after the last event drawn.
  window.addEventListener('pagehide', () => {
    if (stream) stream.close();
    stream = null;
  });
  window.addEventListener('pageshow', event => {
    if (event.persisted && !finished && !stream) connect();
  });
})();
