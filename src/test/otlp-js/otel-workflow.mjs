// A three-agent research workflow instrumented by hand with the OpenTelemetry JavaScript SDK, in
// the OpenTelemetry GenAI conventions, exported over OTLP/HTTP protobuf as each span ends:
//
//   invoke_workflow research-report                (root; ends ERROR: the report was not written)
//     invoke_agent planner
//       chat gpt-4o                                1200 in / 150 out
//       invoke_agent researcher
//         chat gpt-4o-mini                         800 in (256 cached) / 200 out; asks for web_search
//         ChatOpenAI                               the same call, as OpenInference instruments it
//         execute_tool web_search
//         chat gpt-4o-mini                         1500 in / 400 out; answers
//       invoke_agent writer                        fails: ReportValidationError
//         chat gpt-4o                              2000 in / 600 out
//         execute_tool render_chart
//
// Model spans name no agent (as most instrumentations send them): Trace Stream finds it from their
// parents. Content capture is on: the researcher's chats carry their messages as the GenAI
// conventions write them (gen_ai.input.messages, gen_ai.output.messages, gen_ai.system_instructions,
// JSON text), its tool span gen_ai.tool.call.arguments and .result, and its first call is also
// traced by an OpenInference instrumentation (an LLM span, llm.input_messages.* and
// llm.output_messages.*, no token counts, which the GenAI span already reports). The conversation
// is the one vercel-ai.mjs's researcher has, so every convention must give the same messages. The
// root stays open across two checkpoints (see producer.mjs), so a test sees the run
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
  // With content capture on, the messages sent go on at the start, the answer at the end.
  const chat = (model, usage, content = {}) => inSpan(`chat ${model.request}`, SpanKind.CLIENT, {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': model.request,
    ...(content.system ? { 'gen_ai.system_instructions': JSON.stringify(content.system) } : {}),
    ...(content.input ? { 'gen_ai.input.messages': JSON.stringify(content.input) } : {}),
  }, async (span) => {
    await sleep(30);
    if (content.output) {
      span.setAttribute('gen_ai.output.messages', JSON.stringify(content.output));
    }
    span.setAttributes({
      'gen_ai.response.model': model.response,
      'gen_ai.response.id': `chatcmpl-${Math.random().toString(36).slice(2, 10)}`,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': usage.input,
      'gen_ai.usage.output_tokens': usage.output,
      ...(usage.cacheRead ? { 'gen_ai.usage.cache_read.input_tokens': usage.cacheRead } : {}),
    });
  });

  const tool = (name, callId, call) => inSpan(`execute_tool ${name}`, SpanKind.INTERNAL, {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': name,
    'gen_ai.tool.call.id': callId,
    'gen_ai.tool.type': 'function',
    ...(call ? { 'gen_ai.tool.call.arguments': JSON.stringify(call.arguments) } : {}),
  }, async (span) => {
    await sleep(20);
    if (call) {
      span.setAttribute('gen_ai.tool.call.result', JSON.stringify(call.result));
    }
  });

  // An LLM span as OpenInference instrumentations write it: one attribute per message field.
  const openInferenceLlm = (modelName, { input, output }) => inSpan('ChatOpenAI', SpanKind.INTERNAL, {
    'openinference.span.kind': 'LLM',
    'llm.model_name': modelName,
    'llm.provider': 'openai',
    ...flatMessages('llm.input_messages', input),
  }, async (span) => {
    await sleep(10);
    span.setAttributes(flatMessages('llm.output_messages', output));
  });

  /** GenAI messages as OpenInference's llm.*_messages.<i>.message.* attributes (text and tool calls). */
  const flatMessages = (prefix, messages) => Object.fromEntries(messages.flatMap((m, i) => {
    const at = `${prefix}.${i}.message`;
    const text = m.parts.filter((p) => p.type === 'text').map((p) => p.content).join('');
    const calls = m.parts.filter((p) => p.type === 'tool_call');
    return [
      [`${at}.role`, m.role],
      ...(text ? [[`${at}.content`, text]] : []),
      ...calls.flatMap((c, j) => [
        [`${at}.tool_calls.${j}.tool_call.id`, c.id],
        [`${at}.tool_calls.${j}.tool_call.function.name`, c.name],
        [`${at}.tool_calls.${j}.tool_call.function.arguments`, JSON.stringify(c.arguments)],
      ]),
    ];
  }));

  // The researcher's conversation, as vercel-ai.mjs's researcher has it with its mock model.
  const search = { query: 'OTLP adoption 2026' };
  const searchResult = { results: ['OTLP adoption 2026: 3 results'] };
  const asked = { role: 'user', parts: [{ type: 'text', content: 'Research OTLP adoption' }] };
  const callsSearch = { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_search_1', name: 'web_search', arguments: search }] };
  const searched = { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_search_1', response: searchResult }] };
  const answered = { role: 'assistant', parts: [{ type: 'text', content: 'Most agent frameworks export OTLP.' }] };
  const researcherSystem = [{ type: 'text', content: 'You research with web_search.' }];

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
          await chat(gpt4oMini, { input: 800, output: 200, cacheRead: 256 }, {
            system: researcherSystem,
            input: [asked],
            output: [{ ...callsSearch, finish_reason: 'tool_call' }],
          });
          // OpenInference has no system instructions apart from the messages: the system prompt is the first one.
          const system = { role: 'system', parts: researcherSystem };
          await openInferenceLlm('gpt-4o-mini-2024-07-18', { input: [system, asked], output: [callsSearch] });
          await tool('web_search', 'call_search_1', { arguments: search, result: searchResult });
          await chat(gpt4oMini, { input: 1500, output: 400 }, {
            system: researcherSystem,
            input: [asked, callsSearch, searched],
            output: [{ ...answered, finish_reason: 'stop' }],
          });
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
