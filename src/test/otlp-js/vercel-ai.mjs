// A three-agent report run written with the Vercel AI SDK, traced by the SDK's own telemetry
// (experimental_telemetry, one functionId per agent) through the OpenTelemetry JavaScript SDK and
// exported over OTLP/HTTP JSON as each span ends. The models are MockLanguageModelV3 from ai/test:
// no network LLM. The planner delegates through tools, so the agents nest:
//
//   POST /api/report                                      (the application's root span; ends OK)
//     ai.generateText planner          gpt-4o             tool calls delegate_research, delegate_writing
//       ai.toolCall delegate_research
//         ai.generateText researcher   mock-model-id      tool call web_search, then text
//       ai.toolCall delegate_writing                      fails: the writer threw
//         ai.generateText writer       gpt-4o             tool call render_chart, then the model throws
//
// Each ai.generateText has its ai.generateText.doGenerate model spans and ai.toolCall tool spans.
// The researcher's model id is the mock's default, which no price table knows. The root stays
// open across two checkpoints (see producer.mjs). Usage: node vercel-ai.mjs BASE_URL RUN_ID [--no-pause]

import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { generateText, stepCountIs, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { z } from 'zod';
import { Checkpoints, run, settings, sleep, startTracing } from './producer.mjs';

class ModelOverloadedError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ModelOverloadedError';
  }
}

/** One model response as a LanguageModelV3 returns it. */
function response({ toolCall, text, input, output, cacheRead = 0, modelId }) {
  return {
    content: toolCall
      ? [{ type: 'tool-call', toolCallId: toolCall.id, toolName: toolCall.name, input: JSON.stringify(toolCall.input) }]
      : [{ type: 'text', text }],
    finishReason: toolCall ? { unified: 'tool-calls', raw: 'tool_calls' } : { unified: 'stop', raw: 'stop' },
    usage: {
      inputTokens: { total: input, noCache: input - cacheRead, cacheRead, cacheWrite: 0 },
      outputTokens: { total: output, text: output, reasoning: 0 },
    },
    response: modelId ? { modelId } : undefined,
    warnings: [],
  };
}

/** A mock model that answers with the given responses in turn, each after a short think. */
function scriptedModel({ provider, modelId, responses }) {
  let call = 0;
  return new MockLanguageModelV3({
    provider,
    modelId,
    doGenerate: async () => {
      await sleep(30);
      const next = responses[call++];
      if (next instanceof Error) {
        throw next;
      }
      return next;
    },
  });
}

run(async () => {
  const { base, runId, pause } = settings();
  const { provider, exporter, tracer } = startTracing({ base, serviceName: 'report-app', protocol: 'http/json' });
  const checkpoints = new Checkpoints({ provider, exporter, pause });
  const telemetry = (functionId) => ({ isEnabled: true, functionId, metadata: { runId } });

  const researcherModel = scriptedModel({
    provider: 'mock-provider',
    modelId: 'mock-model-id',
    responses: [
      response({ toolCall: { id: 'call_search_1', name: 'web_search', input: { query: 'OTLP adoption 2026' } }, input: 500, output: 30 }),
      response({ text: 'Most agent frameworks export OTLP.', input: 1100, output: 250 }),
    ],
  });
  const writerModel = scriptedModel({
    provider: 'openai.responses',
    modelId: 'gpt-4o',
    responses: [
      response({ toolCall: { id: 'call_chart_1', name: 'render_chart', input: { series: 'adoption' } }, input: 700, output: 60, modelId: 'gpt-4o-2024-08-06' }),
      new ModelOverloadedError('the writer model is overloaded (mock)'),
    ],
  });
  const plannerModel = scriptedModel({
    provider: 'openai.responses',
    modelId: 'gpt-4o',
    responses: [
      response({ toolCall: { id: 'call_research_1', name: 'delegate_research', input: { topic: 'OTLP adoption' } }, input: 900, output: 40, modelId: 'gpt-4o-2024-08-06' }),
      response({ toolCall: { id: 'call_writing_1', name: 'delegate_writing', input: { notes: 'frameworks export OTLP' } }, input: 1400, output: 45, cacheRead: 512, modelId: 'gpt-4o-2024-08-06' }),
      response({ text: 'Research done; the report could not be written.', input: 2100, output: 300, modelId: 'gpt-4o-2024-08-06' }),
    ],
  });

  const researcher = (topic) => generateText({
    model: researcherModel,
    prompt: `Research ${topic}`,
    tools: {
      web_search: tool({
        description: 'Searches the web',
        inputSchema: z.object({ query: z.string() }),
        execute: async ({ query }) => {
          await sleep(20);
          return { results: [`${query}: 3 results`] };
        },
      }),
    },
    stopWhen: stepCountIs(4),
    maxRetries: 0,
    experimental_telemetry: telemetry('researcher'),
  });

  const writer = (notes) => generateText({
    model: writerModel,
    prompt: `Write a report from: ${notes}`,
    tools: {
      render_chart: tool({
        description: 'Renders a chart',
        inputSchema: z.object({ series: z.string() }),
        execute: async ({ series }) => {
          await sleep(20);
          return { chart: `${series}.svg` };
        },
      }),
    },
    stopWhen: stepCountIs(4),
    maxRetries: 0,
    experimental_telemetry: telemetry('writer'),
  });

  const root = tracer.startSpan('POST /api/report', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'POST', 'http.route': '/api/report', 'session.id': runId },
  });
  await context.with(trace.setSpan(context.active(), root), async () => {
    const result = await generateText({
      model: plannerModel,
      prompt: 'Produce a report on OTLP adoption',
      tools: {
        delegate_research: tool({
          description: 'Hands research to the researcher agent',
          inputSchema: z.object({ topic: z.string() }),
          execute: async ({ topic }) => {
            // The planner's first model call has been exported: the trace exists.
            await checkpoints.announceTrace(root.spanContext().traceId);
            await checkpoints.reached('planned');
            return (await researcher(topic)).text;
          },
        }),
        delegate_writing: tool({
          description: 'Hands writing to the writer agent',
          inputSchema: z.object({ notes: z.string() }),
          // The writer's error fails this tool call; the planner sees it and answers anyway.
          execute: async ({ notes }) => (await writer(notes)).text,
        }),
      },
      stopWhen: stepCountIs(5),
      maxRetries: 0,
      experimental_telemetry: telemetry('planner'),
    });
    if (result.steps.length !== 3) {
      throw new Error(`expected the planner to take 3 steps, took ${result.steps.length}`);
    }
  });
  await checkpoints.reached('children-exported');
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  await checkpoints.finish();
});
