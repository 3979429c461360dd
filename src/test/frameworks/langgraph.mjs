// LangGraph.js producer for the framework tests: a real 3-agent LangGraph run, traced by
// OpenInference's LangChain.js instrumentation and exported to Trace Stream over OTLP/HTTP.
//
//   node langgraph.mjs <trace-stream-base-url> <fake-model-base-url>
//   e.g. node langgraph.mjs http://127.0.0.1:8080 http://127.0.0.1:40123
//
// What runs: LangGraph's documented multi-agent hand-off pattern (langgraphjs docs, "Multi-agent",
// "Handoffs"): three agents made with createReactAgent (@langchain/langgraph/prebuilt), each one a
// subgraph node of a parent StateGraph(MessagesAnnotation), named as a user names them: "planner",
// "researcher", "writer". An agent hands off by calling a transfer_to_<agent> tool that returns
// new Command({ goto: <agent>, graph: Command.PARENT, update }); the parent graph declares the
// possible hand-offs with addNode(..., { ends }). The chain is planner -> researcher -> writer.
// (createReactAgent is marked deprecated in favour of createAgent from the `langchain` package, not
// installed here; the langgraphjs multi-agent docs still build agents with it, and it runs as is.)
// Tools: planner make_plan; researcher web_search and fetch_page, which THROWS (ToolNode's default
// handleToolErrors turns it into a ToolMessage with status "error" and the run goes on); writer
// format_report. Each agent calls ChatOpenAI (@langchain/openai, chat completions) pointed at the
// fake model (fake-model.mjs), scripted by the #call / #answer lines of the agent's prompt:
// 7 model calls in all, each 120 input + 30 output tokens.
//
// Telemetry, as @arizeai/openinference-instrumentation-langchain's README sets it up: a
// NodeTracerProvider, registered as the global one, and LangChainInstrumentation with
// manuallyInstrument(CallbackManagerModule). Non-default settings, and why:
//  - SimpleSpanProcessor instead of a BatchSpanProcessor: each span is exported as soon as it
//    ends (live viewing); the batch processor would hold spans up to 5 s.
//  - OTLPTraceExporter (OTLP/HTTP protobuf) with url <trace-stream>/v1/traces, from the command line,
//    and concurrencyLimit 500: with one request per span, the exporter's default of 30 requests in
//    flight is reached as soon as the receiver answers slowly (a JVM warming up), and the exporter
//    then DROPS spans silently ("Concurrent export limit reached"); a run here is ~58 spans.
//  - service.name "langgraph-research" on the resource, so the run is recognisable.
//  - one extra SpanProcessor that only counts ended spans and remembers the root's trace id, and a
//    wrapper around the exporter that counts spans whose export failed, for the summary line; the
//    spans on the wire are the same.
// provider.shutdown() waits for every pending export before the process exits.
//
// Last stdout line: one JSON object, {otel_trace_id, agents, failing_tool, handoffs, ...}.
// Exit code 0 when the run completes and every span was exported (the failing tool is part of the
// run); 1 when the graph run throws; 3 when spans could not be exported (the JSON line still comes).
import { NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LangChainInstrumentation } from '@arizeai/openinference-instrumentation-langchain';
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { tool } from '@langchain/core/tools';
import { ToolMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { StateGraph, MessagesAnnotation, Command, START, END } from '@langchain/langgraph';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { z } from 'zod';

const [traceStreamUrl, fakeModelUrl] = process.argv.slice(2);
if (!traceStreamUrl || !fakeModelUrl) {
  console.error('usage: node langgraph.mjs <trace-stream-base-url> <fake-model-base-url>');
  process.exit(2);
}
const trimmed = url => url.replace(/\/+$/, '');

// ------------------------------------------------------------------ telemetry

/**
 * Counts ended spans (by OpenInference span kind, and those ending in status ERROR, among them the
 * hand-offs' ParentCommand) and keeps the trace id of the root (the graph run); exports nothing.
 */
class RunRecorder {
  spans = 0;
  kinds = {};
  errorSpans = 0;
  parentCommandSpans = 0;
  rootTraceId = null;
  rootName = null;
  onStart() {}
  onEnd(span) {
    this.spans += 1;
    const kind = String(span.attributes['openinference.span.kind'] ?? 'none');
    this.kinds[kind] = (this.kinds[kind] ?? 0) + 1;
    if (span.status.code === 2) { // SpanStatusCode.ERROR
      this.errorSpans += 1;
      if (/^\s*ParentCommand\b/.test(span.status.message ?? '')) this.parentCommandSpans += 1;
    }
    if (!span.parentSpanContext) {
      this.rootTraceId = span.spanContext().traceId;
      this.rootName = span.name;
    }
  }
  forceFlush() { return Promise.resolve(); }
  shutdown() { return Promise.resolve(); }
}
const recorder = new RunRecorder();

/** Passes every export through, counting the spans whose export failed (the SDK only logs it to diag). */
class CountingExporter {
  failedSpans = 0;
  errors = new Set();
  constructor(inner) { this.inner = inner; }
  export(spans, done) {
    this.inner.export(spans, result => {
      if (result.code !== 0) { // ExportResultCode.SUCCESS
        this.failedSpans += spans.length;
        this.errors.add(String(result.error?.message ?? result.error));
      }
      done(result);
    });
  }
  forceFlush() { return this.inner.forceFlush(); }
  shutdown() { return this.inner.shutdown(); }
}
const exporter = new CountingExporter(new OTLPTraceExporter({
  url: `${trimmed(traceStreamUrl)}/v1/traces`,
  concurrencyLimit: 500,
}));

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'langgraph-research' }),
  spanProcessors: [new SimpleSpanProcessor(exporter), recorder],
});
provider.register();

const lcInstrumentation = new LangChainInstrumentation();
lcInstrumentation.manuallyInstrument(CallbackManagerModule);

// ------------------------------------------------------------------ the agents

const MODEL = 'gpt-4o-mini';
const llm = new ChatOpenAI({
  model: MODEL,
  apiKey: 'not-needed',
  configuration: { baseURL: `${trimmed(fakeModelUrl)}/v1` },
});

/** LangGraph's documented hand-off tool: go to the agent's node in the parent graph. */
function createHandoffTool(agentName, description) {
  const toolName = `transfer_to_${agentName}`;
  return tool(
    async (_, runtime) => {
      const toolMessage = new ToolMessage({
        content: `Successfully transferred to ${agentName}`,
        name: toolName,
        tool_call_id: runtime.toolCallId,
      });
      return new Command({
        goto: agentName,
        update: { messages: runtime.state.messages.concat(toolMessage) },
        graph: Command.PARENT,
      });
    },
    { name: toolName, schema: z.object({}), description },
  );
}

const makePlan = tool(
  async ({ topic }) => `Plan for ${topic}: 1. find sources, 2. read them, 3. write a summary.`,
  { name: 'make_plan', description: 'Write a research plan.', schema: z.object({ topic: z.string() }) },
);
const webSearch = tool(
  async ({ query }) => `Top result for "${query}": solar panels convert about 20% of sunlight into electricity.`,
  { name: 'web_search', description: 'Search the web.', schema: z.object({ query: z.string() }) },
);
const fetchPage = tool(
  async ({ url }) => {
    throw new Error(`HTTP 503 Service Unavailable from ${url}`);
  },
  { name: 'fetch_page', description: 'Fetch a web page.', schema: z.object({ url: z.string() }) },
);
const formatReport = tool(
  async ({ title }) => `# ${title}\n\nSolar panels convert about 20% of sunlight into electricity.`,
  { name: 'format_report', description: 'Format the final report.', schema: z.object({ title: z.string() }) },
);

const planner = createReactAgent({
  llm,
  name: 'planner',
  tools: [makePlan, createHandoffTool('researcher', 'Hand the plan over to the researcher.')],
  prompt: [
    'You are the planner. Plan the research, then hand over to the researcher.',
    '#call make_plan {"topic": "solar power"}',
    '#call transfer_to_researcher {}',
  ].join('\n'),
});
const researcher = createReactAgent({
  llm,
  name: 'researcher',
  tools: [webSearch, fetchPage, createHandoffTool('writer', 'Hand the findings over to the writer.')],
  prompt: [
    'You are the researcher. Search, read the best page, then hand over to the writer.',
    '#call web_search {"query": "solar panel efficiency"}',
    '#call fetch_page {"url": "https://example.org/solar"}',
    '#call transfer_to_writer {}',
  ].join('\n'),
});
const writer = createReactAgent({
  llm,
  name: 'writer',
  tools: [formatReport],
  prompt: [
    'You are the writer. Format the report and give it as your answer.',
    '#call format_report {"title": "Solar power"}',
    '#answer Solar panels convert about 20% of sunlight into electricity.',
  ].join('\n'),
});

const graph = new StateGraph(MessagesAnnotation)
  .addNode('planner', planner, { ends: ['researcher', END] })
  .addNode('researcher', researcher, { ends: ['writer', END] })
  .addNode('writer', writer)
  .addEdge(START, 'planner')
  .compile();

// ------------------------------------------------------------------ the run

let result;
let runError = null;
try {
  result = await graph.invoke({ messages: [{ role: 'user', content: 'Write a short report on solar power.' }] });
} catch (e) {
  runError = e;
}
await provider.shutdown();

if (runError) {
  console.error(runError);
  process.exit(1);
}
if (exporter.failedSpans > 0) {
  console.error(`${exporter.failedSpans} span(s) not exported: ${[...exporter.errors].join('; ')}`);
}
const messages = result.messages;
const last = messages[messages.length - 1];
console.log(JSON.stringify({
  otel_trace_id: recorder.rootTraceId,
  root_span: recorder.rootName,
  agents: ['planner', 'researcher', 'writer'],
  handoffs: [
    { from: 'planner', to: 'researcher', tool: 'transfer_to_researcher' },
    { from: 'researcher', to: 'writer', tool: 'transfer_to_writer' },
  ],
  tools: { planner: ['make_plan'], researcher: ['web_search', 'fetch_page'], writer: ['format_report'] },
  failing_tool: 'fetch_page',
  failing_tool_agent: 'researcher',
  failing_tool_error: 'HTTP 503 Service Unavailable from https://example.org/solar',
  model: MODEL,
  model_calls: 7,
  input_tokens: 7 * 120,
  output_tokens: 7 * 30,
  spans: recorder.spans,
  span_kinds: recorder.kinds,
  spans_not_exported: exporter.failedSpans,
  // Spans in status ERROR: the failing tool, and the hand-offs' spans (the transfer tool's ToolNode
  // and both spans of the agent node handing off), which end with LangGraph's ParentCommand.
  error_spans: recorder.errorSpans,
  parent_command_error_spans: recorder.parentCommandSpans,
  answer: typeof last.content === 'string' ? last.content : JSON.stringify(last.content),
}));
process.exitCode = exporter.failedSpans > 0 ? 3 : 0;
