package io.tracestream.domain;

/**
 * Names of {@code attributes} that mean something to Trace Stream beyond being shown: producers
 * (the OTLP mapping among them) write them, the summary and the metrics read them.
 */
public final class EventAttributes {

    /** The provider that served an LLM call, as {@code gen_ai.provider.name} spells it ({@code openai}, {@code aws.bedrock}...). */
    public static final String PROVIDER = "provider";
    /** Input tokens read from the prompt cache: a part of {@code input_tokens}, as the GenAI conventions count them. */
    public static final String CACHE_READ_INPUT_TOKENS = "cache_read_input_tokens";

    private EventAttributes() {}
}
