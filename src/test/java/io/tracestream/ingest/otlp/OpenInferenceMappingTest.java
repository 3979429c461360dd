package io.tracestream.ingest.otlp;

import static io.tracestream.ingest.otlp.Otlp.attr;
import static io.tracestream.ingest.otlp.Otlp.dbl;
import static io.tracestream.ingest.otlp.Otlp.event;
import static io.tracestream.ingest.otlp.Otlp.failed;
import static io.tracestream.ingest.otlp.Otlp.map;
import static io.tracestream.ingest.otlp.Otlp.num;
import static io.tracestream.ingest.otlp.Otlp.ofSpan;
import static io.tracestream.ingest.otlp.Otlp.span;
import static io.tracestream.ingest.otlp.Otlp.str;
import static io.tracestream.ingest.otlp.Otlp.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracestream.domain.TraceEvent;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Spans with the attribute sets OpenInference instrumentors emit (LangChain/LangGraph, CrewAI,
 * OpenAI Agents through the bridge): every span carries {@code openinference.span.kind} and the
 * session in {@code session.id}; agents, LLM calls with token counts and cost, tools, a retriever.
 */
class OpenInferenceMappingTest {

    private static Span.Builder oi(String kind, String name, int id, int parent, long start, long end) {
        return span(name, id, parent, start, end)
                .addAttributes(str("openinference.span.kind", kind))
                .addAttributes(str("session.id", "sess-7f3a"));
    }

    static ExportTraceServiceRequest researchCrew() {
        Span.Builder graph = oi("CHAIN", "LangGraph", 1, 0, 0, 8_000)
                .addAttributes(str("input.value", "{\"messages\":[[\"user\",\"compare the two papers\"]]}"))
                .addAttributes(str("input.mime_type", "application/json"))
                .addAttributes(str("metadata", "{\"langgraph_step\":1}"));
        Span.Builder researcher = oi("AGENT", "researcher", 2, 1, 100, 5_000)
                .addAttributes(str("agent.name", "researcher"));
        Span.Builder llm = oi("LLM", "ChatOpenAI", 3, 2, 200, 1_800)
                .addAttributes(str("llm.model_name", "gpt-4o-mini-2024-07-18"))
                .addAttributes(str("llm.provider", "openai"))
                .addAttributes(str("llm.system", "openai"))
                .addAttributes(str("llm.invocation_parameters", "{\"temperature\":0.0}"))
                .addAttributes(str("llm.input_messages.0.message.role", "user"))
                .addAttributes(str("llm.input_messages.0.message.content", "compare the two papers"))
                .addAttributes(num("llm.token_count.prompt", 812))
                .addAttributes(num("llm.token_count.completion", 97))
                .addAttributes(num("llm.token_count.total", 909))
                .addAttributes(num("llm.token_count.prompt_details.cache_read", 512))
                .addAttributes(dbl("llm.cost.total", 0.000183));
        Span.Builder search = oi("TOOL", "tavily_search", 4, 2, 1_900, 3_000)
                .addAttributes(str("tool.name", "tavily_search"))
                .addAttributes(str("tool.description", "search the web"))
                .addAttributes(str("tool.parameters", "{\"query\":\"string\"}"))
                .addAttributes(str("input.value", "{\"query\":\"paper A\"}"));
        Span.Builder retriever = oi("RETRIEVER", "VectorStoreRetriever", 5, 2, 3_100, 3_400)
                .addAttributes(str("retrieval.documents.0.document.id", "doc-1"));
        Span.Builder embedding = oi("EMBEDDING", "OpenAIEmbeddings", 6, 5, 3_150, 3_250)
                .addAttributes(str("embedding.model_name", "text-embedding-3-small"))
                .addAttributes(num("llm.token_count.prompt", 9));
        // An AGENT span that names its agent only by its span name (CrewAI, LangGraph nodes).
        Span.Builder writer = oi("AGENT", "writer", 7, 1, 5_100, 7_900);
        Span.Builder fetch = failed(oi("TOOL", "fetch_pdf", 8, 7, 5_200, 5_300)
                .addAttributes(str("tool.name", "fetch_pdf")), "httpx.HTTPStatusError", "404 Not Found");
        return Otlp.request("research-crew", llm, search, embedding, retriever, researcher, fetch, writer, graph);
    }

    @Test
    void anAgentSpanIsAnAgentNamedByAgentNameElseByTheSpanName() {
        MappedSpans mapped = map(researchCrew());
        assertEquals(List.of("agent_called", "task_started", "task_completed"), types(ofSpan(mapped, 2)));
        assertEquals("researcher", event(mapped, 2, "agent_called").agentId());
        assertEquals("writer", event(mapped, 7, "agent_called").agentId());
        assertEquals("span", attr(event(mapped, 7, "agent_called"), "agent_source"));
    }

    @Test
    void anLlmSpanIsAnLlmCallWithModelTokensReportedCostAndCacheReads() {
        TraceEvent llm = event(map(researchCrew()), 3, "llm_call");
        assertEquals("researcher", llm.agentId());
        assertEquals("gpt-4o-mini-2024-07-18", llm.model());
        assertEquals(812L, llm.inputTokens());
        assertEquals(97L, llm.outputTokens());
        assertEquals(new BigDecimal("0.000183"), llm.costUsd());
        assertEquals(new BigDecimal(512), attr(llm, "cache_read_input_tokens"));
        assertEquals("openai", attr(llm, "provider"));
        assertEquals("sess-7f3a", attr(llm, "session.id"));
        assertNull(attr(llm, "llm.input_messages.0.message.content"), "moved beside the event, not copied");
        assertEquals("compare the two papers", llm.content().body().getJsonArray("input").getJsonObject(0)
                .getJsonArray("parts").getJsonObject(0).getString("content"));
    }

    @Test
    void anEmbeddingSpanIsAnLlmCallOfTheEmbeddingModel() {
        TraceEvent embedding = event(map(researchCrew()), 6, "llm_call");
        assertEquals("text-embedding-3-small", embedding.model());
        assertEquals(9L, embedding.inputTokens());
        assertNull(embedding.outputTokens());
        assertEquals("researcher", embedding.agentId(), "through the retriever, which names no agent");
    }

    @Test
    void aToolSpanIsAToolCallAndItsFailureCarriesTheException() {
        MappedSpans mapped = map(researchCrew());
        assertEquals("tavily_search", attr(event(mapped, 4, "tool_call"), "tool"));
        TraceEvent fetch = event(mapped, 8, "tool_call");
        assertEquals("writer", fetch.agentId());
        assertEquals(new TraceEvent.EventError("httpx.HTTPStatusError", "404 Not Found"), fetch.error());
    }

    @Test
    void chainAndRetrieverSpansAreGenericStepsTheRootAlsoTheWorkflow() {
        MappedSpans mapped = map(researchCrew());
        assertEquals(List.of("task_started", "task_completed"), types(ofSpan(mapped, 5)));
        assertEquals("VectorStoreRetriever", event(mapped, 5, "task_started").taskId());
        assertEquals(List.of("workflow_started", "task_started", "task_completed", "workflow_completed"), types(ofSpan(mapped, 1)));
        assertEquals("research-crew", event(mapped, 1, "workflow_started").agentId());
    }

    @Test
    void inConversationModeTheSessionIdNamesTheTrace() {
        MappedSpans mapped = new OtlpSpanMapper(TraceIdMode.CONVERSATION).map(researchCrew());
        assertEquals(List.of("sess-7f3a"), List.copyOf(mapped.eventsByTrace().keySet()));
        assertEquals(Otlp.TRACE, attr(event(mapped, 3, "llm_call"), "otel_trace_id"));
    }
}
