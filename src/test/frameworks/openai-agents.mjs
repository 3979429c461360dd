// The OpenAI Agents SDK for JS (@openai/agents 0.20.0) as a real Trace Stream producer.
//
//   node openai-agents.mjs <trace-stream-base-url> <fake-model-base-url>
//
// What it runs: Triage Agent -> (hand-off) Weather Agent -> (hand-off) Booking Agent.
//   Triage Agent   calls transfer_to_Weather_Agent (a hand-off: the SDK offers each hand-off to the
//                  model as a function tool named transfer_to_<agent name, non-alphanumerics -> "_">)
//   Weather Agent  calls get_weather, then transfer_to_Booking_Agent
//   Booking Agent  calls find_hotels, then book_hotel, which throws; the SDK catches the error, answers
//                  the model with its default tool error text, and the agent gives its final answer.
// Every model call goes to the fake model (fake-model.mjs), scripted by the #call / #answer lines in
// the agents' instructions, through the SDK's chat completions API; no stream, so the run is the same
// every time: 6 model calls, 3 agents, 2 hand-offs, 3 function tools (1 of them failing), 22 spans.
//
// Telemetry, as the README of @arizeai/openinference-instrumentation-openai-agents sets it up: an
// OpenTelemetry NodeTracerProvider with the OTLP/HTTP protobuf exporter, and the OpenInference bridge
// registered with manuallyInstrument(agents) (ESM). Deviations from that README, and why:
//   - SimpleSpanProcessor instead of BatchSpanProcessor: each span is exported as soon as it ends, so
//     Trace Stream shows the run live (the batch processor waits up to 5 s).
//   - The exporter URL is <trace-stream>/v1/traces (the README points at Phoenix on :6006).
//   - resourceFromAttributes instead of `new Resource(...)` (@opentelemetry/resources 2.x).
//   - The bridge's default "exclusive" mode replaces the SDK's own trace processors, so the SDK's
//     built-in exporter to OpenAI's trace viewer (api.openai.com/v1/traces/ingest) is removed: nothing
//     is uploaded to OpenAI. (Additive mode, { exclusiveProcessor: false }, would keep that upload.)
//   - A tiny span processor remembers the OpenTelemetry trace id for the summary line (the bridge
//     creates its root span itself and never makes it the active span), and the exporter's results
//     are counted, so that a run whose spans did not reach Trace Stream exits 1.
// Before exiting it flushes the SDK's tracing (so every agents-SDK span has reached the bridge) and
// shuts the tracer provider down (so every OTLP export has been sent).
//
// Last stdout line: one JSON object for the test (otel_trace_id, agents, failing_tool, ...).
import * as agents from '@openai/agents';
import { Agent, Runner, tool, setDefaultOpenAIClient, setOpenAIAPI, getGlobalTraceProvider } from '@openai/agents';
import { OpenAIAgentsInstrumentation } from '@arizeai/openinference-instrumentation-openai-agents';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import OpenAI from 'openai';
import { z } from 'zod';

const [traceStreamUrl, fakeModelUrl] = process.argv.slice(2);
if (!traceStreamUrl || !fakeModelUrl) {
  console.error('usage: node openai-agents.mjs <trace-stream-base-url> <fake-model-base-url>');
  process.exit(2);
}
const SERVICE_NAME = 'openai-agents-travel';
const WORKFLOW_NAME = 'Travel booking';
const MODEL = 'gpt-4o-mini';
const FAILING_TOOL = 'book_hotel';
// Triage: 1 (hand-off); Weather: 2 (get_weather, hand-off); Booking: 3 (find_hotels, book_hotel, answer).
const MODEL_CALLS = 6;
const FAILURE_MESSAGE = 'No rooms available at Hotel du Louvre on 2030-05-01';

// ---------------------------------------------------------------- telemetry (OpenTelemetry + bridge)

const otelTraceIds = new Set();
let otelSpans = 0;
const recordTraceIds = {
  onStart(span) { otelTraceIds.add(span.spanContext().traceId); },
  onEnd() { otelSpans++; },
  forceFlush: async () => {},
  shutdown: async () => {},
};

const exporter = new OTLPTraceExporter({ url: traceStreamUrl.replace(/\/$/, '') + '/v1/traces' });
let exportFailures = 0; // the exporter only logs a failed export through diag (off by default): count them
const exportSpans = exporter.export.bind(exporter);
exporter.export = (spans, done) => exportSpans(spans, result => { if (result.code !== 0) exportFailures++; done(result); });

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': SERVICE_NAME }),
  spanProcessors: [new SimpleSpanProcessor(exporter), recordTraceIds],
});
provider.register();

const instrumentation = new OpenAIAgentsInstrumentation({ tracerProvider: provider });
instrumentation.manuallyInstrument(agents); // exclusive: the SDK's upload to OpenAI is replaced

// ---------------------------------------------------------------- the model: the fake, chat completions

setDefaultOpenAIClient(new OpenAI({ baseURL: fakeModelUrl.replace(/\/$/, '') + '/v1', apiKey: 'fake-key' }));
setOpenAIAPI('chat_completions');

// ---------------------------------------------------------------- tools and agents

const getWeather = tool({
  name: 'get_weather',
  description: 'The weather forecast for a city.',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => `Sunny, 22 C in ${city}`,
});

const findHotels = tool({
  name: 'find_hotels',
  description: 'Hotels with free rooms in a city.',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => JSON.stringify([{ hotel: 'Hotel du Louvre', city, price_eur: 240 }]),
});

const bookHotel = tool({
  name: FAILING_TOOL,
  description: 'Book a room in a hotel.',
  parameters: z.object({ hotel: z.string(), date: z.string() }),
  // Throws: the SDK's default errorFunction turns it into a tool result for the model.
  execute: async () => { throw new Error(FAILURE_MESSAGE); },
});

const bookingAgent = new Agent({
  name: 'Booking Agent',
  model: MODEL,
  handoffDescription: 'Books hotels.',
  instructions: [
    'You book hotels.',
    '#call find_hotels {"city":"Paris"}',
    '#call book_hotel {"hotel":"Hotel du Louvre","date":"2030-05-01"}',
    '#answer Sorry, I could not book the Hotel du Louvre: no rooms are available.',
  ].join('\n'),
  tools: [findHotels, bookHotel],
});

const weatherAgent = new Agent({
  name: 'Weather Agent',
  model: MODEL,
  handoffDescription: 'Checks the weather before a trip.',
  instructions: [
    'You check the weather, then hand off to the booking agent.',
    '#call get_weather {"city":"Paris"}',
    '#call transfer_to_Booking_Agent {}',
  ].join('\n'),
  tools: [getWeather],
  handoffs: [bookingAgent],
});

const triageAgent = new Agent({
  name: 'Triage Agent',
  model: MODEL,
  instructions: [
    'You route travel requests to the right agent.',
    '#call transfer_to_Weather_Agent {}',
  ].join('\n'),
  handoffs: [weatherAgent],
});

// ---------------------------------------------------------------- run

const runner = new Runner({ workflowName: WORKFLOW_NAME });
const result = await runner.run(triageAgent, 'Book me a hotel in Paris on 2030-05-01 if the weather is good.');

// Flush the SDK's tracing pipeline into the bridge, then the OpenTelemetry exports.
await getGlobalTraceProvider().forceFlush();
try {
  await provider.forceFlush();
  await provider.shutdown();
} catch (error) { // SimpleSpanProcessor's flush rejects with the failed exports' errors
  exportFailures++;
  console.error('exporting to Trace Stream failed:', error);
}

if (otelTraceIds.size !== 1 || exportFailures > 0) {
  console.error(`expected one OpenTelemetry trace, got ${otelTraceIds.size}; failed exports: ${exportFailures}`);
  process.exit(1);
}
console.log(JSON.stringify({
  otel_trace_id: [...otelTraceIds][0],
  agents: [triageAgent.name, weatherAgent.name, bookingAgent.name],
  failing_tool: FAILING_TOOL,
  failing_tool_agent: bookingAgent.name,
  // The SDK's default errorFunction keeps the thrown message out of the trace and away from the model:
  thrown_message: FAILURE_MESSAGE, // appears in no span
  failing_tool_status_message: 'Error running tool (non-fatal): '
    + JSON.stringify({ tool_name: FAILING_TOOL, error: 'Tool execution failed. Error details are redacted.' }),
  failing_tool_result: 'An error occurred while running the tool. Please try again.', // what the model gets (output.value)
  tools: ['get_weather', 'find_hotels', FAILING_TOOL],
  handoffs: [
    // tool: the model's tool name; span: the bridge's hand-off span (tool.name handoff_to_<to agent>)
    { from: triageAgent.name, to: weatherAgent.name, tool: 'transfer_to_Weather_Agent', span: 'handoff to Weather Agent' },
    { from: weatherAgent.name, to: bookingAgent.name, tool: 'transfer_to_Booking_Agent', span: 'handoff to Booking Agent' },
  ],
  last_agent: result.lastAgent?.name,
  final_output: result.finalOutput,
  workflow_name: WORKFLOW_NAME,
  service_name: SERVICE_NAME,
  model: MODEL,
  model_calls: MODEL_CALLS,
  input_tokens: MODEL_CALLS * 120, // the fake model's usage per answer
  output_tokens: MODEL_CALLS * 30,
  otel_spans: otelSpans, // 22: root, task, 3 agents, 6 turns, 6 generations, 3 functions, 2 hand-offs
  export_failures: exportFailures,
}));
