// Mastra producer for Trace Stream: a real Mastra 1.71 run, exported by Mastra's own OpenTelemetry
// exporter, against the fake OpenAI-compatible model.
//
//   node mastra.mjs <trace-stream-base-url> <fake-model-base-url>
//   e.g. node mastra.mjs http://127.0.0.1:8080 http://127.0.0.1:41234
//
// What runs: a supervisor agent, Coordinator, with two subagents on its `agents` property (Mastra's
// documented multi-agent primitive, "supervisor agents"; Mastra has no hand-off: its docs build a
// hand-off out of workflows and memory, and `.network()` is superseded by supervisors). Mastra turns
// each subagent into a delegation tool named `agent-<key>`; Coordinator calls agent-researcher, then
// agent-writer, then answers. Researcher calls lookup_facts (succeeds); Writer calls check_style,
// which throws. Mastra reports the error to Writer's model as the tool result and the run goes on,
// so agent.generate() resolves and this process exits 0. The fake model follows the #call/#answer
// lines of the instructions. Mastra passes the supervisor's own messages, its system message
// included, on to each subagent, so Coordinator has no #answer line (it would win in the subagents)
// and answers the fake model's default, "Done.".
//
// Telemetry, as Mastra documents it: `new Observability({ configs: { otel: { serviceName,
// exporters: [new OtelExporter({ provider: { custom: { endpoint, protocol } } })] } } })` on the
// Mastra instance; no OpenTelemetry SDK of our own. Settings that are not the default, and why:
//   - batchSize: 1. The exporter hard-codes a BatchSpanProcessor with scheduledDelayMillis 5000
//     (OTEL_BSP_SCHEDULE_DELAY is ignored because the value is passed in code); batchSize is its
//     maxExportBatchSize, and a full batch is exported at once, so 1 sends each span as it ends
//     (one request per span, one request in flight at a time).
//   - protocol 'http/protobuf' (the custom provider defaults to 'http/json'; both reach
//     <base>/v1/traces and Trace Stream reads both).
//   - signals.logs: false. The exporter also ships Mastra's log records to <base>/v1/logs when an
//     OTLP logs package is installed (npm installs them: they are optional dependencies of
//     @mastra/otel-exporter); Trace Stream has no /v1/logs and would answer 404 to each.
//   - MASTRA_TELEMETRY_DISABLED=1 (unless set): Mastra otherwise sends usage events to PostHog.
//   - logger: false: Mastra's console logger would print to stdout, where the last line is ours.
//   - model { id, url, apiKey }: Mastra's model router with a custom URL, an OpenAI-compatible
//     chat-completions model. agent.generate() (not stream()) because the router's OpenAI-compatible
//     model does not ask for usage when streaming (no stream_options.include_usage): streamed runs
//     carry no token counts.
// Before shutdown we wait until the exporter's queue is empty (see drainExportQueue): a backlog left
// to mastra.shutdown() is flushed as one request per span all at once, and the OTLP exporter fails
// every request past its 30 concurrent exports ("Concurrent export limit reached"): spans lost.
//
// Last stdout line: one JSON object for the test (trace id, agents, tools, expected calls/tokens).
process.env.MASTRA_TELEMETRY_DISABLED ??= '1';

const { Mastra } = await import('@mastra/core/mastra');
const { Agent } = await import('@mastra/core/agent');
const { createTool } = await import('@mastra/core/tools');
const { Observability } = await import('@mastra/observability');
const { OtelExporter } = await import('@mastra/otel-exporter');
const { z } = await import('zod');

const [traceStreamBase, fakeModelBase] = process.argv.slice(2).map(u => u && u.replace(/\/+$/, ''));
if (!traceStreamBase || !fakeModelBase) {
  console.error('usage: node mastra.mjs <trace-stream-base-url> <fake-model-base-url>');
  process.exit(2);
}

const MODEL = 'gpt-4o-mini';
const model = { id: `openai/${MODEL}`, url: `${fakeModelBase}/v1`, apiKey: 'fake-key' };

const lookupFacts = createTool({
  id: 'lookup_facts',
  description: 'Look up facts about a city.',
  inputSchema: z.object({ city: z.string() }),
  outputSchema: z.object({ facts: z.array(z.string()) }),
  execute: async ({ city }) => ({ facts: [`${city} is the capital of Portugal.`, `${city} is built on seven hills.`] }),
});

const FAILURE = 'style service unavailable';
const checkStyle = createTool({
  id: 'check_style',
  description: 'Check a draft against the house style guide.',
  inputSchema: z.object({ draft: z.string() }),
  execute: async () => {
    throw new Error(FAILURE);
  },
});

const researcher = new Agent({
  id: 'researcher',
  name: 'Researcher',
  description: 'Finds facts about a city.',
  instructions: 'You research cities.\n#call lookup_facts {"city":"Lisbon"}\n#answer Lisbon: capital of Portugal, seven hills.',
  model,
  tools: { lookup_facts: lookupFacts },
});

const writer = new Agent({
  id: 'writer',
  name: 'Writer',
  description: 'Writes a short travel brief.',
  instructions: 'You write travel briefs.\n#call check_style {"draft":"Lisbon brief"}\n#answer Lisbon brief written; the style check was unavailable.',
  model,
  tools: { check_style: checkStyle },
});

const coordinator = new Agent({
  id: 'coordinator',
  name: 'Coordinator',
  description: 'Plans a trip with a researcher and a writer.',
  instructions: 'You plan trips: delegate research, then writing.\n#call agent-researcher {"prompt":"Find facts about Lisbon"}\n#call agent-writer {"prompt":"Write a short brief about Lisbon"}',
  model,
  agents: { researcher, writer },
});

const SERVICE = 'mastra-travel-desk';
const exporter = new OtelExporter({
  provider: { custom: { endpoint: `${traceStreamBase}/v1/traces`, protocol: 'http/protobuf' } },
  batchSize: 1,
  signals: { logs: false },
});

const mastra = new Mastra({
  agents: { coordinator, researcher, writer },
  observability: new Observability({ configs: { otel: { serviceName: SERVICE, exporters: [exporter] } } }),
  logger: false,
});

/**
 * Waits until the exporter's BatchSpanProcessor has sent everything queued and nothing more arrives
 * for 100 ms (span ends reach the queue asynchronously). Reads internal fields; bounded by a timeout.
 * Not mastra.observability.flush(): that is the processor's forceFlush, the same all-at-once send.
 */
async function drainExportQueue(timeoutMs = 15000) {
  const processor = exporter['processor'];
  const deadline = Date.now() + timeoutMs;
  let idleSince = Date.now();
  while (processor && Date.now() < deadline) {
    if (processor._finishedSpans?.length > 0 || processor._isExporting) idleSince = Date.now();
    else if (Date.now() - idleSince >= 100) return;
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

const result = await mastra.getAgent('coordinator').generate('Plan a short trip to Lisbon.', { maxSteps: 5 });
await drainExportQueue();
await mastra.shutdown();

// 7 model calls: Coordinator 3 (delegate, delegate, answer), Researcher 2, Writer 2; each 120 in / 30 out.
const modelCalls = 7;
console.log(JSON.stringify({
  otel_trace_id: result.traceId,
  agents: ['Coordinator', 'Researcher', 'Writer'],
  agent_ids: ['coordinator', 'researcher', 'writer'],
  root_agent: 'Coordinator',
  delegations: [
    { from: 'Coordinator', to: 'Researcher', tool: 'agent-researcher' },
    { from: 'Coordinator', to: 'Writer', tool: 'agent-writer' },
  ],
  tools: ['lookup_facts', 'check_style'],
  failing_tool: 'check_style',
  failing_agent: 'Writer',
  failure_message: FAILURE,
  caller_chain: ['Coordinator', 'Writer', 'check_style'],
  service_name: SERVICE,
  model: MODEL,
  provider: 'openai',
  model_calls: modelCalls,
  input_tokens: 120 * modelCalls,
  output_tokens: 30 * modelCalls,
  answer: result.text,
}));
process.exit(0);
