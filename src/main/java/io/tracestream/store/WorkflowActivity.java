package io.tracestream.store;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What every instance must agree on to report workflows as a whole: which workflows are running
 * since when, and when each agent was last heard from. Kept in the store, because the events of
 * one workflow are counted by whichever instances take them (see {@link Share#ONCE_PER_EVENT}).
 */
public interface WorkflowActivity {

    void started(String traceId, long atMillis);

    /** Marks the workflow ended; answers when it started, if it was known to be running. */
    OptionalLong ended(String traceId);

    /** Agents heard from, with the time of their latest event (epoch ms). */
    void agentsSeen(Map<String, Long> lastEventMillisByAgent);

    /** The running workflows, oldest first; those whose trace expired are forgotten. */
    List<Running> running();

    /** Each agent heard from within the trace TTL, with the time of its latest event. */
    Map<String, Long> agentsLastSeen();

    /** A running workflow: when it started and when its trace last received an event. */
    record Running(String traceId, long startedMillis, long lastEventMillis) {}
}
