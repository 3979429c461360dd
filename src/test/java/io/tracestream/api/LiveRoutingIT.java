package io.tracestream.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.faults.Faults;
import io.tracestream.faults.Resp;
import io.tracestream.testing.Api;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.SseClient.Message;
import io.tracestream.testing.TestDeployments;
import io.tracestream.testkit.RedisServer;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Events are routed per trace: an instance subscribes to a trace's live channel in Redis while a
 * client of its streams that trace, and what is published while its subscription is down still
 * reaches the client.
 */
@ExtendWith(ArquillianExtension.class)
class LiveRoutingIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.withRedis(RedisServer.sharedUrl());
    }

    @ArquillianResource
    URL deployment;

    private Api api;
    private final Resp redis = new Resp(URI.create(RedisServer.sharedUrl()).getPort());

    @BeforeEach
    void connect() {
        api = new Api(deployment);
    }

    private long subscribers(String traceId) {
        List<?> answer = (List<?>) redis.call("PUBSUB", "NUMSUB", "tracestream:live:" + traceId);
        return ((Number) answer.get(1)).longValue();
    }

    private static String event(String type) {
        return "{\"event_type\":\"" + type + "\",\"agent_id\":\"routing-agent\"}";
    }

    @Test
    void anInstanceListensOnATracesChannelOnlyWhileOneOfItsClientsStreamsIt() {
        String trace = "route-" + UUID.randomUUID();
        api.append(trace, event("workflow_started"));
        assertEquals(0, subscribers(trace));
        try (SseClient first = SseClient.open(api.uri("traces/" + trace + "/stream"));
             SseClient second = SseClient.open(api.uri("traces/" + trace + "/stream"))) {
            assertEquals(1, first.take(1, WAIT).size(), "the history");
            assertEquals(1, second.take(1, WAIT).size(), "the history");
            // The history is read once the trace is watched: one subscription for both clients.
            assertEquals(1, subscribers(trace));
            api.append(trace, event("workflow_completed"));
            assertEquals("workflow_completed", type(first.take(1, WAIT).get(0)));
            assertEquals("workflow_completed", type(second.take(1, WAIT).get(0)));
        }
        Faults.await(WAIT, () -> "the instance unsubscribed once the trace's streams ended", () -> subscribers(trace) == 0);
    }

    @Test
    void eventsPublishedWhileTheSubscriptionIsDownReachTheClientWithoutWaitingForAnotherEvent() {
        String trace = "gap-" + UUID.randomUUID();
        List<String> first = api.append(trace, event("workflow_started"));
        try (SseClient client = SseClient.open(api.uri("traces/" + trace + "/stream"))) {
            assertEquals(first, ids(client.take(1, WAIT)));
            int missedWhileDown = 0;
            for (int attempt = 0; attempt < 50 && missedWhileDown == 0; attempt++) {
                Faults.await(WAIT, () -> "subscribed", () -> subscribers(trace) == 1);
                redis.call("CLIENT", "KILL", "TYPE", "pubsub");
                if (subscribers(trace) != 0) {
                    continue; // already subscribed again: try once more
                }
                List<String> ids = api.append(trace, event("task_started"));
                if (subscribers(trace) == 0) {
                    missedWhileDown++; // published while nobody listened
                }
                // Nothing else is appended: the client gets it once the instance subscribes again.
                assertEquals(ids, ids(client.take(1, WAIT)), "the event stored while the subscription was down");
            }
            assertEquals(1, missedWhileDown, "an event was published with no subscriber");
            List<String> last = api.append(trace, event("workflow_completed"));
            assertEquals(last, ids(client.take(1, WAIT)));
            assertTrue(client.drain(Duration.ofMillis(300)).stream().noneMatch(m -> m.id() != null),
                    "no event twice");
        }
    }

    private static List<String> ids(List<Message> messages) {
        return messages.stream().map(Message::id).toList();
    }

    private static String type(Message m) {
        return jakarta.json.Json.createReader(new java.io.StringReader(m.data())).readObject().getString("event_type");
    }
}
