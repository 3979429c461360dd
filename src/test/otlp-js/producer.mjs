// What both producers share: their settings, an OpenTelemetry JavaScript SDK set up the way the
// docs/opentelemetry.md tells users to (a registered NodeTracerProvider, so context propagates across awaits;
// SimpleSpanProcessor, so each span is exported as it ends), and the checkpoints at which a test
// driving the script may look at Trace Stream while the root span is still open.
//
// Usage: node SCRIPT BASE_URL RUN_ID [--no-pause]
//   BASE_URL  Trace Stream's root (env TRACESTREAM_URL); spans go to BASE_URL/v1/traces
//   RUN_ID    tags this run (env RUN_ID): the root span's gen_ai.conversation.id
//   --no-pause  run straight through (by hand); otherwise each checkpoint prints a line on stdout
//               and waits for `continue` on stdin
//
// Stdout is the protocol with the driving test, one line each:
//   trace <otel trace id>   after the first spans were exported: the trace exists
//   checkpoint <name>       every span so far was exported; waiting for `continue`
//   done                    the root span ended and was exported; exiting
// Anything else goes to stderr. A failed export makes the script exit 1 (an exporter alone would
// only log it), so a test never waits for spans that were never delivered.

import { DiagConsoleLogger, DiagLogLevel, diag, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { createInterface } from 'node:readline';

/** How long a checkpoint waits for the test before giving up, so no script outlives its test. */
const CHECKPOINT_TIMEOUT_MS = 120_000;

export function settings() {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const base = (args[0] ?? process.env.TRACESTREAM_URL ?? '').replace(/\/+$/, '');
  const runId = args[1] ?? process.env.RUN_ID;
  if (!base || !runId) {
    fail('usage: node SCRIPT BASE_URL RUN_ID [--no-pause] (or env TRACESTREAM_URL and RUN_ID)');
  }
  return { base, runId, pause: !process.argv.includes('--no-pause') };
}

/**
 * A registered tracer provider exporting to `${base}/v1/traces`.
 *
 * @param protocol 'http/protobuf' or 'http/json', as OTEL_EXPORTER_OTLP_PROTOCOL names them
 */
export function startTracing({ base, serviceName, protocol }) {
  diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
  const Exporter = protocol === 'http/json' ? JsonExporter : ProtoExporter;
  const exporter = new FailureRecordingExporter(new Exporter({ url: `${base}/v1/traces` }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'telemetry.sdk.language': 'nodejs' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  provider.register();
  return { provider, exporter, tracer: trace.getTracer(serviceName, '1.0.0') };
}

/** The test's side of the run: prints what it needs and waits where it asks to. */
export class Checkpoints {
  constructor({ provider, exporter, pause }) {
    this.provider = provider;
    this.exporter = exporter;
    this.pause = pause;
    this.lines = pause ? createInterface({ input: process.stdin })[Symbol.asyncIterator]() : null;
    this.traceAnnounced = false;
  }

  /** Exports what ended so far, then says which trace this is. */
  async announceTrace(traceId) {
    await this.flush();
    say(`trace ${traceId}`);
  }

  /**
   * Exports what ended so far, says so, and waits for `continue`. A wrong answer, or none, ends
   * the script at once: the workflow's own error handling must not take it for a step failing.
   */
  async reached(name) {
    await this.flush();
    say(`checkpoint ${name}`);
    if (!this.pause) {
      return;
    }
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ timedOut: true }), CHECKPOINT_TIMEOUT_MS);
    });
    const line = await Promise.race([this.lines.next(), timeout]);
    clearTimeout(timer);
    if (line.timedOut) {
      fail(`no "continue" after checkpoint ${name} within ${CHECKPOINT_TIMEOUT_MS} ms`);
    } else if (line.done) {
      fail(`stdin closed at checkpoint ${name}`);
    } else if (line.value.trim() !== 'continue') {
      fail(`expected "continue" at checkpoint ${name}, got "${line.value}"`);
    }
  }

  async finish() {
    await this.flush();
    await this.provider.shutdown();
    say('done');
    process.stdin.destroy();
  }

  /** Exports every span that ended; ends the script if any export so far failed. */
  async flush() {
    await this.provider.forceFlush();
    const failures = this.exporter.failures;
    if (failures.length > 0) {
      fail(`export to Trace Stream failed: ${failures.join('; ')}`);
    }
  }
}

/** Wraps an exporter to remember failed exports, which the SDK would only log. */
class FailureRecordingExporter {
  constructor(delegate) {
    this.delegate = delegate;
    this.failures = [];
  }

  export(spans, resultCallback) {
    this.delegate.export(spans, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) {
        this.failures.push(`${spans.map((s) => s.name).join(', ')}: ${result.error?.message ?? 'failed'}`);
      }
      resultCallback(result);
    });
  }

  forceFlush() {
    return this.delegate.forceFlush?.() ?? Promise.resolve();
  }

  shutdown() {
    return this.delegate.shutdown();
  }
}

export function say(line) {
  process.stdout.write(`${line}\n`);
}

export function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Runs a script's main, failing with its error on stderr and exit code 1. */
export function run(main) {
  main().catch((e) => fail(e?.stack ?? String(e)));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
