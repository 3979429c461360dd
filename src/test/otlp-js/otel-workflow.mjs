// A three-agent research workflow instrumented by hand with the OpenTelemetry JavaScript SDK, in
// the OpenTelemetry GenAI conventions, exported over OTLP/HTTP protobuf as each span ends:
//
//   invoke_workflow research-report                (root; ends ERROR: the report was not written)
//     invoke_agent planner
//       chat gpt-4o                                1200 in / 150 out
//       invoke_agent researcher
//         chat gpt-4o-mini                         800 in (256 cached) / 200 out
//         execute_tool web_search
//         chat gpt-4o-mini                         1500 in / 400 out
//       invoke_agent writer                        fails: ReportValidationError
//         chat gpt-4o                              2000 in / 600 out
//         execute_tool render_chart
//
// Model spans name no agent (as most instrumentations send them): Trace Stream finds it from their
// parents. The root stays open across two checkpoints (see producer.mjs), so a test sees the run
// while it is going on. Usage: node otel-workflow.mjs BASE_URL RUN_ID [--no-pause]

import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { Checkpoints, run, settings, sleep, startTracing } from './producer.mjs';

class ReportValidationError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ReportValidationError';
  }
}

run(async () => {
  const { base, runId, pause } = settings();
  const { provider, exporter, tracer } = startTracing({ base, serviceName: 'research-assistant', protocol: 'http/protobuf' });
  const checkpoints = new Checkpoints({ provider, exporter, pause });

  /** A span that is the active one while fn runs, ended with fn's outcome. */
  const inSpan = (name, kind, attributes, fn) =>
    tracer.startActiveSpan(name, { kind, attributes }, async (span) => {
      try {
        const result = await fn(span);
        span.setStatus({ code: SpanStatusCode.OK });
        return result;
      } catch (e) {
        span.recordException(e);
        span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
        span.setAttribute('error.type', e.name);
        throw e;
      } finally {
        span.end();
      }
    });

  const agent = (name, fn) => inSpan(`invoke_agent ${name}`, SpanKind.INTERNAL, {
    'gen_ai.operation.name': 'invoke_agent',
    'gen_ai.agent.name': name,
    'gen_ai.agent.id': `${name}-1`,
    'gen_ai.provider.name': 'openai',
  }, fn);

  // As an instrumentation sets them: request attributes at the start, response ones at the end.
  const chat = (model, usage) => inSpan(`chat ${model.request}`, SpanKind.CLIENT, {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': model.request,
  }, async (span) => {
    await sleep(30);
    span.setAttributes({
      'gen_ai.response.model': model.response,
      'gen_ai.response.id': `chatcmpl-${Math.random().toString(36).slice(2, 10)}`,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': usage.input,
      'gen_ai.usage.output_tokens': usage.output,
      ...(usage.cacheRead ? { 'gen_ai.usage.cache_read.input_tokens': usage.cacheRead } : {}),
    });
  });

  const tool = (name, callId) => inSpan(`execute_tool ${name}`, SpanKind.INTERNAL, {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': name,
    'gen_ai.tool.call.id': callId,
    'gen_ai.tool.type': 'function',
  }, () => sleep(20));

  const gpt4o = { request: 'gpt-4o', response: 'gpt-4o-2024-08-06' };
  const gpt4oMini = { request: 'gpt-4o-mini', response: 'gpt-4o-mini-2024-07-18' };

  const root = tracer.startSpan('invoke_workflow research-report', {
    kind: SpanKind.INTERNAL,
    attributes: {
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.workflow.name': 'research-report',
      'gen_ai.conversation.id': runId,
    },
  });
  let outcome = null;
  await context.with(trace.setSpan(context.active(), root), async () => {
    try {
      await agent('planner', async () => {
        await chat(gpt4o, { input: 1200, output: 150 });
        await checkpoints.announceTrace(root.spanContext().traceId);
        await checkpoints.reached('planned');
        await agent('researcher', async () => {
          await chat(gpt4oMini, { input: 800, output: 200, cacheRead: 256 });
          await tool('web_search', 'call_search_1');
          await chat(gpt4oMini, { input: 1500, output: 400 });
        });
        try {
          await agent('writer', async () => {
            await chat(gpt4o, { input: 2000, output: 600 });
            await tool('render_chart', 'call_chart_1');
            throw new ReportValidationError('chart render_chart returned no data series');
          });
        } catch (e) {
          // The planner reports what it has; the workflow as a whole failed.
          outcome = e;
        }
      });
    } catch (e) {
      outcome = e;
    }
  });
  await checkpoints.reached('children-exported');
  if (outcome) {
    root.setStatus({ code: SpanStatusCode.ERROR, message: `report not written: ${outcome.message}` });
  } else {
    root.setStatus({ code: SpanStatusCode.OK });
  }
  root.end();
  await checkpoints.finish();
});
