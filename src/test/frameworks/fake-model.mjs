// A fake model server for the framework tests: the OpenAI chat completions API (with streaming,
// tools and usage) and the Gemini generateContent API, on loopback, scripted by the agents' own
// instructions so that real frameworks run unmodified against it.
//
//   node fake-model.mjs [port]     prints {"port": N} once listening (0 or none: a free port)
//
// Script lines in an agent's system instructions, followed in order:
//   #call <tool> <json arguments>   ask for this tool call, once per line, when the tool is offered
//   #answer <text>                  the final answer once every #call offered is made (default "Done.")
//   #delay <ms>                     wait this long before each answer (default FAKE_MODEL_DELAY_MS, 20)
// A #call whose tool the request does not offer is passed over: a hand-off target's tools are not
// offered to the agent that hands off.
//
// Every answer reports the same usage (USAGE below), so a test knows the exact tokens of a run from
// the number of model calls, which GET /calls lists ({calls: [{api, model, stream, tool, ...}]}).
import http from 'node:http';

const USAGE = { input: 120, output: 30 };
const DEFAULT_DELAY_MS = Number(process.env.FAKE_MODEL_DELAY_MS || 20);
const calls = [];

function script(systemText) {
  const steps = [];
  let answer = 'Done.';
  let delay = DEFAULT_DELAY_MS;
  for (const raw of systemText.split('\n')) {
    const line = raw.trim();
    let m;
    if ((m = /^#call\s+(\S+)\s*(.*)$/.exec(line))) steps.push({ tool: m[1], args: m[2] || '{}' });
    else if ((m = /^#answer\s+(.*)$/.exec(line))) answer = m[1];
    else if ((m = /^#delay\s+(\d+)$/.exec(line))) delay = Number(m[1]);
  }
  return { steps, answer, delay };
}

/** The next step: the first #call not made yet (counting repeats) among the offered tools, else the answer. */
function decide(systemText, offered, madeCalls) {
  const { steps, answer, delay } = script(systemText);
  const made = new Map();
  for (const name of madeCalls) made.set(name, (made.get(name) || 0) + 1);
  const seen = new Map();
  for (const step of steps) {
    const n = (seen.get(step.tool) || 0) + 1;
    seen.set(step.tool, n);
    if (!offered.has(step.tool)) continue;
    if ((made.get(step.tool) || 0) < n) return { tool: step.tool, args: step.args, delay };
  }
  return { text: answer, delay };
}

function text(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map(p => (typeof p === 'string' ? p : p.text || '')).join('\n');
  return '';
}

// ------------------------------------------------------------------ OpenAI chat completions

function chatCompletion(body, res) {
  const messages = body.messages || [];
  const system = messages.filter(m => m.role === 'system' || m.role === 'developer').map(m => text(m.content)).join('\n');
  const offered = new Set((body.tools || []).map(t => (t.function || t).name));
  const made = messages.filter(m => m.role === 'assistant').flatMap(m => (m.tool_calls || []).map(c => c.function.name));
  const next = decide(system, offered, made);
  const model = body.model || 'gpt-4o-mini';
  const id = 'chatcmpl-' + (calls.length + 1);
  const callId = 'call_' + (calls.length + 1);
  calls.push({ api: 'chat', model, stream: Boolean(body.stream), tool: next.tool || null, answer: next.text || null });
  const usage = { prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output };
  const created = Math.floor(Date.now() / 1000);
  setTimeout(() => {
    if (!body.stream) {
      const message = next.tool
        ? { role: 'assistant', content: null, tool_calls: [{ id: callId, type: 'function', function: { name: next.tool, arguments: next.args } }] }
        : { role: 'assistant', content: next.text };
      json(res, { id, object: 'chat.completion', created, model, usage,
        choices: [{ index: 0, message, finish_reason: next.tool ? 'tool_calls' : 'stop', logprobs: null }] });
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const chunk = (choices, extra) => res.write('data: ' + JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra }) + '\n\n');
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    if (next.tool) {
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, id: callId, type: 'function', function: { name: next.tool, arguments: '' } }] }, finish_reason: null }]);
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: next.args } }] }, finish_reason: null }]);
    } else {
      const words = next.text.split(/(?<= )/);
      for (const w of words) chunk([{ index: 0, delta: { content: w }, finish_reason: null }]);
    }
    chunk([{ index: 0, delta: {}, finish_reason: next.tool ? 'tool_calls' : 'stop' }]);
    if (body.stream_options && body.stream_options.include_usage) chunk([], { usage });
    res.end('data: [DONE]\n\n');
  }, next.delay);
}

// ------------------------------------------------------------------ Gemini generateContent

function geminiContent(model, stream, body, res) {
  const system = ((body.systemInstruction || body.system_instruction || {}).parts || []).map(p => p.text || '').join('\n');
  const offered = new Set((body.tools || []).flatMap(t => (t.functionDeclarations || t.function_declarations || []).map(f => f.name)));
  const made = (body.contents || []).filter(c => c.role === 'model')
    .flatMap(c => (c.parts || []).filter(p => p.functionCall || p.function_call).map(p => (p.functionCall || p.function_call).name));
  const next = decide(system, offered, made);
  calls.push({ api: 'gemini', model, stream, tool: next.tool || null, answer: next.text || null });
  const parts = next.tool ? [{ functionCall: { name: next.tool, args: JSON.parse(next.args) } }] : [{ text: next.text }];
  const answer = {
    candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: USAGE.input, candidatesTokenCount: USAGE.output, totalTokenCount: USAGE.input + USAGE.output },
    modelVersion: model,
    responseId: 'resp-' + calls.length,
  };
  setTimeout(() => {
    if (!stream) {
      json(res, answer);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    res.end('data: ' + JSON.stringify(answer) + '\r\n\r\n');
  }, next.delay);
}

// ------------------------------------------------------------------ server

function json(res, value, status = 200) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url, 'http://localhost');
    let body = {};
    try {
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    } catch (e) {
      json(res, { error: { message: 'not JSON: ' + e.message } }, 400);
      return;
    }
    let m;
    if (req.method === 'POST' && /\/chat\/completions$/.test(url.pathname)) {
      chatCompletion(body, res);
    } else if (req.method === 'POST' && (m = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(url.pathname))) {
      geminiContent(decodeURIComponent(m[1]), m[2] === 'streamGenerateContent', body, res);
    } else if (req.method === 'GET' && url.pathname === '/calls') {
      json(res, { calls, usage_per_call: { input_tokens: USAGE.input, output_tokens: USAGE.output } });
    } else {
      json(res, { error: { message: 'the fake model does not serve ' + req.method + ' ' + url.pathname } }, 404);
    }
  });
});

server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
