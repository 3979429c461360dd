package io.tracestream.ingest.otlp;

/** What a span is in a multi-agent run, as far as its conventions tell; decides its events. */
enum SpanRole {
    /** An agent at work (invoke_agent, create_agent, OpenInference AGENT, a Vercel call with a functionId). */
    AGENT,
    /** A model call (chat, text_completion, generate_content, embeddings, OpenInference LLM/EMBEDDING, Vercel doGenerate/doStream). */
    MODEL,
    /** A tool execution (execute_tool, OpenInference TOOL, Vercel ai.toolCall). */
    TOOL,
    /** Work handed from one agent to another (AG2 handoff). */
    HANDOFF,
    /** Anything else: kept as a step of its own, never dropped. */
    STEP
}
