package io.tracestream.guards;

import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.guards.AlertKind;
import io.tracestream.domain.guards.RunAlert;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A run alert as one of Alertmanager's postable alerts ({@code POST /api/v2/alerts}):
 * {@code {"labels", "annotations", "startsAt", "endsAt", "generatorURL"}}.
 *
 * <p>Alertmanager identifies an alert by its label set alone, so the labels hold exactly what makes
 * a finding itself and nothing an instance or a moment adds: {@code alertname} (by kind),
 * {@code kind}, {@code severity}, {@code trace_id}, {@code agent} (when known) and {@code finding}
 * (the alert's key, which keeps two loops of one trace apart). Every instance that posts the same
 * finding therefore updates one alert. The rest (the message, the evidence, the links) are
 * annotations, which Alertmanager takes from the latest post.
 */
public final class AlertmanagerAlert {

    /**
     * The longest description posted, in characters. Why: the description ends up in pages and
     * chat messages; the trace page shows all.
     */
    static final int MAX_DESCRIPTION_CHARS = 2_000;
    /**
     * Evidence that is what an agent said (a tool's arguments): it stays in Trace Stream, behind its
     * keys, and never leaves for Alertmanager, its receivers and their chat rooms.
     */
    static final String SAID = "arguments";
    private static final String TRUNCATED = "…";

    private final String publicUrl;
    private final String runbookBaseUrl;

    /**
     * @param publicUrl      where users reach Trace Stream ({@code https://trace-stream.example}):
     *                       the trace page links start with it
     * @param runbookBaseUrl the folder of the runbooks, such as
     *                       {@code https://github.com/tracestream/trace-stream/blob/main/runbooks}
     */
    public AlertmanagerAlert(URI publicUrl, String runbookBaseUrl) {
        this.publicUrl = withoutTrailingSlash(publicUrl.toString());
        this.runbookBaseUrl = withoutTrailingSlash(runbookBaseUrl);
    }

    /** The {@code alertname} of a kind: {@code AgentRunErrorBurst} for {@code error_burst}. */
    public static String alertName(AlertKind kind) {
        return switch (kind) {
            case LOOP -> "AgentRunLoop";
            case BUDGET -> "AgentRunBudget";
            case SILENT -> "AgentRunSilent";
            case ERROR_BURST -> "AgentRunErrorBurst";
            case TOO_LONG -> "AgentRunTooLong";
        };
    }

    /** The file of {@code runbooks/} that explains a kind: {@code agent-run-error-burst.md}. */
    public static String runbookFile(AlertKind kind) {
        return "agent-run-" + kind.wireName().replace('_', '-') + ".md";
    }

    /** The trace page: {@code <publicUrl>/ui/traces/<trace_id>} (trace ids need no escaping in a path). */
    public String traceUrl(String traceId) {
        return publicUrl + "/ui/traces/" + traceId;
    }

    /**
     * The postable alert.
     *
     * @param agent    the run's agent, or null or empty when unknown (the label is then left out)
     * @param startsAt when it started firing
     * @param endsAt   when Alertmanager should consider it resolved: in the future while it fires
     *                 (so it resolves by itself if nobody re-posts), its resolution time once resolved
     */
    public JsonObject toJson(String traceId, String agent, RunAlert alert, Instant startsAt, Instant endsAt) {
        JsonObjectBuilder labels = JsonFactories.object()
                .add("alertname", alertName(alert.kind()))
                .add("kind", alert.kind().wireName())
                .add("severity", alert.severity().wireName())
                .add("trace_id", traceId)
                .add("finding", alert.key());
        if (agent != null && !agent.isEmpty()) {
            labels.add("agent", agent);
        }
        String message = alert.message() == null ? "" : alert.message();
        JsonObjectBuilder annotations = JsonFactories.object()
                .add("summary", message)
                .add("description", description(message, alert.evidence()))
                .add("runbook_url", runbookBaseUrl + "/" + runbookFile(alert.kind()))
                .add("trace_url", traceUrl(traceId));
        return JsonFactories.object()
                .add("labels", labels)
                .add("annotations", annotations)
                .add("startsAt", time(startsAt))
                .add("endsAt", time(endsAt))
                .add("generatorURL", traceUrl(traceId))
                .build();
    }

    /**
     * The message, then the evidence as compact JSON but what an agent said ({@link #SAID}), cut at
     * {@link #MAX_DESCRIPTION_CHARS}.
     */
    static String description(String message, JsonObject evidence) {
        JsonObject facts = evidence == null ? JsonObject.EMPTY_JSON_OBJECT
                : JsonFactories.object(evidence).remove(SAID).build();
        String text = facts.isEmpty() ? message : message + " " + compact(facts);
        return text.length() <= MAX_DESCRIPTION_CHARS
                ? text
                : text.substring(0, MAX_DESCRIPTION_CHARS - TRUNCATED.length()) + TRUNCATED;
    }

    private static String compact(JsonObject json) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JsonFactories.generator(out)) {
            g.write(json);
        }
        return out.toString();
    }

    /** RFC 3339 in UTC, to the millisecond: what Alertmanager parses, and no false precision. */
    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String withoutTrailingSlash(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
