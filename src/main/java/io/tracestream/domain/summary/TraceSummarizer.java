package io.tracestream.domain.summary;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.summary.SpanTimeOrder.Key;
import io.tracestream.domain.summary.SpanTimeOrder.Placed;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Folds the events of one trace into a {@link TraceSummary}, one event at a time as they are
 * stored. Not thread-safe: one trace's events are applied one at a time. Never throws on odd
 * input; what it had to guess is in {@link TraceSummary#warnings()}.
 *
 * <p>Event timestamps are the only clock. The {@code now} given to {@link #snapshot(Instant)}
 * decides only whether a running trace is stalled and how long running traces and open steps
 * have lasted so far; the same events therefore give the same summary on any machine.
 *
 * <p>In which order events are folded:
 * <ul>
 * <li>Events our producers send are folded in the order they were stored: the producer's order,
 *     which also says which end belongs to which start when a retry reuses its task id.</li>
 * <li>A trace whose first event came from an OpenTelemetry span (it carries
 *     {@code attributes.agent_source}) is folded in the order things happened
 *     ({@link SpanTimeOrder}), whatever order its spans were exported in: SDKs export a span when
 *     it ends, so children come before their parents and the root comes last. Its summary is
 *     therefore the same for every order in which the same spans arrive. Such a trace's events are
 *     kept; an event that arrives in order is folded at once, as for our producers, and one that
 *     does not (it happened before what was folded last, or it is the parent some folded span was
 *     waiting for) makes the next {@link #snapshot} fold the kept events again, in order, once
 *     however many such events came in between.</li>
 * </ul>
 *
 * <p>How each event type is read ({@code agent_id} is the agent that reported it, but for the
 * stand-ins of span traces, last in this list):
 * <ul>
 * <li>{@code workflow_started}: the workflow runs; its agent is the root of the call graph.
 *     {@code workflow_completed} / {@code workflow_failed} end it at their timestamp (the last one
 *     received decides; a later {@code workflow_started} makes it run again).</li>
 * <li>{@code task_started} opens a task step keyed by {@code span_id}, else {@code task_id};
 *     {@code task_completed} / {@code task_failed} with the same key close it. A start for a key
 *     that is already open is ignored; an end with no open step is ignored when that key already
 *     ended (a duplicate), else it becomes a step that started {@code duration_ms} before it (or at
 *     it). An event with neither key cannot be paired and is only counted.</li>
 * <li>{@code llm_call} / {@code tool_call} are steps of their own, reported when the call
 *     returns: they end at the event's timestamp and start {@code duration_ms} before it. They fail
 *     when they carry an {@code error} or a {@code status} of {@code failed} or {@code error}. With
 *     no {@code parent_span_id} they belong to their agent's innermost open task. A tool's name is
 *     {@code attributes.tool}.</li>
 * <li>{@code agent_called}: the caller calls {@code agent_id}. The caller is
 *     {@code attributes.caller_agent}, else the agent of the step named by {@code parent_span_id};
 *     its {@code span_id}, when given, is the callee's coming span, and is how the call and the
 *     callee's task are known to be one call. {@code attributes.message} (else {@code task_id}) is
 *     what the call asks.</li>
 * <li>{@code agent_transition}: work is handed from one agent to another, one of which is
 *     {@code agent_id}: {@code attributes.to_agent} names the receiver (the sender is
 *     {@code attributes.from_agent}, else {@code agent_id}); or {@code attributes.from_agent}
 *     names the sender (the receiver is {@code agent_id}); with neither, the sender is the agent
 *     of the parent span. {@code attributes.reason} says why. As with {@code agent_called}, a
 *     {@code span_id} is the receiver's coming span.</li>
 * <li>The receiver's next work (its {@code agent_called}, else its first task not inside its own
 *     work) is entered by that hand-off: the hand-off's edge is the only one it makes, no
 *     {@code call} edge from the step its span sits under. So is an {@code agent_called} whose
 *     {@code attributes.entered_by} is {@code handoff} (the caller it names handed off).</li>
 * <li>{@code message}: {@code agent_id} tells {@code attributes.to_agent}
 *     {@code attributes.content} (else {@code attributes.message}).</li>
 * <li>A task whose parent span belongs to another agent is a call from that agent, whether or not
 *     an {@code agent_called} announced it; when the task ends, the outcome goes back to it.</li>
 * <li>A step whose {@code parent_span_id} names a span no step has reported sits under a
 *     placeholder for that span ({@link Step#placeholder()}): an open task with no agent that
 *     starts with its earliest child. It is gone, and the children under the real step, as soon
 *     as the span's own events arrive.</li>
 * <li>An event whose {@code attributes.agent_source} is {@code service} names the service as a
 *     stand-in for an agent the span mapper could not know yet: it counts as the agent of its
 *     nearest ancestor span that has one (in the agents, the usage, the steps and the graph) as
 *     soon as that ancestor has arrived; until then as the agent its run names
 *     ({@code attributes.agent_run}), else, when no agent above it is known, as the receiver of the
 *     latest hand-off before its unknown ancestor's work began; else as the stand-in.</li>
 * <li>A task whose event says it is a framework's own ({@code attributes.plumbing}), or that repeats
 *     the task around it (same agent, same name), is plumbing ({@link Step#plumbing()}): left out of
 *     the agents' task counts and states, the failures and the critical path, and its interactions
 *     drawn only when the diagram unfolds them. A placeholder's agent is the one its children name,
 *     when they agree (children where an agent's own work begins say nothing). A model call ends
 *     when it answered ({@link ModelCallTime}), where its span says more.</li>
 * <li>Any event that carries a model, tokens or a cost counts towards usage: its
 *     {@code cost_usd}, else its tokens priced by the {@link PriceTable}, else unknown. Unknown
 *     event types are counted and otherwise ignored.</li>
 * </ul>
 */
public final class TraceSummarizer {

    public static final Duration DEFAULT_STALL_AFTER = Duration.ofMinutes(5);
    /** Beyond this, a misbehaving producer's oddities are no longer listed one by one. */
    public static final int MAX_WARNINGS = 50;

    static final String ATTR_CALLER = "caller_agent";
    static final String ATTR_FROM = "from_agent";
    static final String ATTR_TO = "to_agent";
    static final String ATTR_MESSAGE = "message";
    static final String ATTR_CONTENT = "content";
    static final String ATTR_REASON = "reason";
    static final String ATTR_TOOL = "tool";
    static final String ATTR_PLUMBING = "plumbing";
    static final String ATTR_ENTERED_BY = "entered_by";
    static final String ATTR_AGENT_RUN = "agent_run";
    /** {@code entered_by}: the agent got its work by a hand-off. */
    static final String ENTERED_BY_HANDOFF = "handoff";
    /** {@code plumbing} of a piece of a model's answer, folded into the model call ({@link ModelCallTime}). */
    static final String PLUMBING_MODEL_CHUNK = "model_chunk";
    /** Stands in for a missing agent id, so an invalid event cannot break the fold. */
    static final String UNKNOWN_AGENT = "unknown";

    private final PriceTable prices;
    private final Duration stallAfter;
    private SpanDirectory spans = new SpanDirectory();
    private TraceFold fold;
    /** Decided by the first event; {@code null} before it. */
    private Boolean inSpanTimeOrder;
    /** A span trace's events in stored order, to fold again when one arrives out of order. */
    private final KeptEvents kept = new KeptEvents();
    private Key lastFolded;
    private boolean refoldPending;
    private String lastEventId;
    private int refolds;
    private final RunAlertLog alerts = new RunAlertLog();

    public TraceSummarizer() {
        this(PriceTable.empty(), DEFAULT_STALL_AFTER);
    }

    public TraceSummarizer(PriceTable prices, Duration stallAfter) {
        this.prices = prices;
        this.stallAfter = stallAfter;
        this.fold = new TraceFold(prices, stallAfter, spans);
    }

    /**
     * Takes in the next {@code alert} event stored for the trace (a run guard's finding): kept for
     * the summary's {@code alerts}, never folded with the run's events.
     */
    public void applyAlert(String id, JsonObject stored) {
        lastEventId = id;
        alerts.add(stored);
    }

    /** Takes in the next event stored for the trace. */
    public void apply(TraceEvent e) {
        lastEventId = e.id();
        if (inSpanTimeOrder == null) {
            inSpanTimeOrder = AgentSource.isFromSpan(e);
        }
        if (!inSpanTimeOrder) {
            spans.register(e);
            fold.apply(e);
            return;
        }
        kept.add(e);
        if (refoldPending) {
            return;
        }
        boolean someoneWaitedForIt = spans.register(e);
        Key key = SpanTimeOrder.keyOf(e, kept.size() - 1, spans);
        if (someoneWaitedForIt || (lastFolded != null && key.compareTo(lastFolded) < 0)) {
            refoldPending = true;
            return;
        }
        fold.apply(e);
        lastFolded = key;
    }

    /** The summary as of {@code now}. */
    public TraceSummary snapshot(Instant now) {
        if (refoldPending) {
            refold();
        }
        return fold.snapshot(now, lastEventId, alerts.all());
    }

    private void refold() {
        spans = new SpanDirectory();
        kept.forEach(spans::register);
        fold = new TraceFold(prices, stallAfter, spans);
        List<Placed> inOrder = SpanTimeOrder.sort(kept, spans);
        inOrder.forEach(p -> fold.apply(p.event()));
        lastFolded = inOrder.isEmpty() ? null : inOrder.get(inOrder.size() - 1).key();
        refoldPending = false;
        refolds++;
    }

    /** How often the kept events were folded again: what out-of-order arrival has cost. */
    int refolds() {
        return refolds;
    }

    /** How many events are kept to fold again; none for a trace folded in stored order. */
    public int keptEvents() {
        return kept.size();
    }
}
