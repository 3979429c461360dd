package io.tracestream.faults;

import io.tracestream.testkit.SseParser;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SSE client that behaves like {@code EventSource}, but across instances: when its stream
 * ends or breaks it reconnects (through {@link Cluster#route}, the load balancer) with
 * {@code Last-Event-ID}, after the server's {@code retry:}. It stops on the named {@code end}
 * event or a 204. It records every event id it receives, so a test can count lost, duplicated
 * and out-of-order events.
 *
 * <p>Fully asynchronous ({@link HttpClient#sendAsync} with a line subscriber): thousands of them
 * share a handful of threads.
 */
final class ResumingClient {

    /** A named event (end, history-truncated) as received. */
    record Named(String name, String data) {}

    private static final ExecutorService IO = Executors.newFixedThreadPool(4, daemon("sse-client-io"));
    private static final ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(2, daemon("sse-client-timer"));
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(IO).build();
    private static final Pattern SENT_AT = Pattern.compile("\"sent_at\":(\\d+)");

    private final Cluster cluster;
    private final String trace;
    private final boolean rotate;
    private volatile boolean retryOn404;
    private volatile boolean measureLatency;
    private volatile int preferred;

    private final List<String> ids = new ArrayList<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final List<Named> named = Collections.synchronizedList(new ArrayList<>());
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<String> replayFrom = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<String> finished = new CompletableFuture<>();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger cleanEnds = new AtomicInteger();
    private final AtomicInteger brokenEnds = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile String lastEventId;
    private volatile long retryMillis = 1000;
    private volatile boolean closed;
    private volatile Instance current;
    private volatile int lastStatus;
    private volatile long connectedAtNanos;
    private volatile Flow.Subscription subscription;

    /**
     * @param preferred index of the instance to connect to first (and to prefer afterwards)
     * @param rotate    reconnect to the next instance each time, not the preferred one
     */
    ResumingClient(Cluster cluster, String trace, int preferred, boolean rotate) {
        this.cluster = cluster;
        this.trace = trace;
        this.preferred = preferred;
        this.rotate = rotate;
    }

    ResumingClient(Cluster cluster, String trace, int preferred) {
        this(cluster, trace, preferred, false);
    }

    /** Keep reconnecting on 404 (a trace lost with a restarted Redis comes back with its next event). */
    ResumingClient retryOn404() {
        this.retryOn404 = true;
        return this;
    }

    /** Record, for each event, now minus its {@code sent_at} attribute. */
    ResumingClient measureLatency() {
        this.measureLatency = true;
        return this;
    }

    /** Starts with a resume point, as a client that saw events earlier would. */
    ResumingClient startAfter(String lastEventId) {
        this.lastEventId = lastEventId;
        return start();
    }

    ResumingClient start() {
        connect();
        return this;
    }

    private void connect() {
        if (closed || finished.isDone()) {
            return;
        }
        Instance target;
        try {
            target = cluster.route(preferred);
        } catch (IllegalStateException noneUp) {
            log("no instance up");
            reconnectLater(500);
            return;
        }
        current = target;
        connects.incrementAndGet();
        HttpRequest.Builder request = HttpRequest.newBuilder(target.uri("/traces/" + trace + "/stream"))
                .header("Accept", "text/event-stream").GET();
        String resume = lastEventId;
        if (resume != null) {
            request.header("Last-Event-ID", resume);
        }
        Lines lines = new Lines();
        HTTP.sendAsync(request.build(), info -> {
            lastStatus = info.statusCode();
            if (info.statusCode() == 200) {
                connectedAtNanos = System.nanoTime();
                info.headers().firstValue("X-Replay-From").ifPresent(replayFrom::add);
                return HttpResponse.BodySubscribers.fromLineSubscriber(lines);
            }
            return HttpResponse.BodySubscribers.discarding();
        }).whenComplete((response, error) -> ended(target, response, error));
    }

    private void ended(Instance target, HttpResponse<?> response, Throwable error) {
        if (closed) {
            return;
        }
        long delay = retryMillis;
        if (error != null) {
            if (response == null && lastStatusUnknown()) {
                refused.incrementAndGet();
            } else {
                brokenEnds.incrementAndGet();
            }
            log(target.name() + ": " + rootCause(error));
            preferred = ThreadLocalRandom.current().nextInt(1 << 20); // that instance is in trouble: anywhere else
        } else {
            int status = response.statusCode();
            if (status == 200) {
                cleanEnds.incrementAndGet();
                log(target.name() + ": stream ended");
            } else if (status == 204) {
                log(target.name() + ": 204");
                finished.complete("204");
                return;
            } else if (status == 404 && !retryOn404) {
                log(target.name() + ": 404");
                finished.complete("404");
                return;
            } else {
                log(target.name() + ": " + status);
                if (status == 503) {
                    delay = Math.min(2000, 1000L * response.headers().firstValue("Retry-After").map(String::trim)
                            .map(Long::parseLong).orElse(1L));
                }
                preferred = ThreadLocalRandom.current().nextInt(1 << 20);
            }
        }
        if (finished.isDone()) {
            return;
        }
        if (rotate) {
            preferred++;
        }
        reconnectLater(delay + ThreadLocalRandom.current().nextLong(100));
    }

    private boolean lastStatusUnknown() {
        return lastStatus == 0 || connectedAtNanos == 0;
    }

    private void reconnectLater(long millis) {
        lastStatus = 0;
        connectedAtNanos = 0;
        TIMER.schedule(this::connect, millis, TimeUnit.MILLISECONDS);
    }

    /** Hands the event stream's lines to the shared SSE parser. */
    private final class Lines implements Flow.Subscriber<String> {
        private final SseParser parser = new SseParser(m -> dispatch(m.id(), m.event(), m.data()), comment -> { },
                retry -> retryMillis = retry);

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            parser.line(line);
        }

        @Override
        public void onError(Throwable throwable) {
            // reported through the response future
        }

        @Override
        public void onComplete() {
            // reported through the response future
        }
    }

    private void dispatch(String id, String event, String data) {
        if (event == null) {
            synchronized (ids) {
                ids.add(id);
            }
            lastEventId = id;
            if (measureLatency) {
                Matcher m = SENT_AT.matcher(data);
                if (m.find()) {
                    latencies.add(System.currentTimeMillis() - Long.parseLong(m.group(1)));
                }
            }
        } else {
            named.add(new Named(event, data));
            if (id != null) {
                lastEventId = id;
            }
            if ("end".equals(event)) {
                finished.complete("end");
            }
        }
    }

    /** Stops reconnecting and drops the connection. */
    void close() {
        closed = true;
        finished.complete("closed");
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    /** Waits until the stream finished (end event, 204 or 404); false on timeout. */
    boolean awaitFinished(Duration timeout) {
        try {
            finished.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String finishedBy() {
        return finished.getNow(null);
    }

    List<String> ids() {
        synchronized (ids) {
            return List.copyOf(ids);
        }
    }

    int received() {
        synchronized (ids) {
            return ids.size();
        }
    }

    List<Long> latencies() {
        synchronized (latencies) {
            return List.copyOf(latencies);
        }
    }

    List<Named> named() {
        synchronized (named) {
            return List.copyOf(named);
        }
    }

    List<String> replayFromHeaders() {
        synchronized (replayFrom) {
            return List.copyOf(replayFrom);
        }
    }

    /** True while a stream is open (200 received, not ended). */
    boolean connected() {
        return connectedAtNanos != 0 && lastStatus == 200;
    }

    long connectedAtNanos() {
        return connectedAtNanos;
    }

    Instance current() {
        return current;
    }

    int connects() {
        return connects.get();
    }

    int cleanEnds() {
        return cleanEnds.get();
    }

    int brokenEnds() {
        return brokenEnds.get();
    }

    int refused() {
        return refused.get();
    }

    String lastEventId() {
        return lastEventId;
    }

    String trace() {
        return trace;
    }

    List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    private void log(String line) {
        if (log.size() < 200) {
            log.add(System.currentTimeMillis() % 100_000 + " " + line);
        }
    }

    private static String rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
