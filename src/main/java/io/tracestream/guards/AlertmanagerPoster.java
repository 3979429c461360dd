package io.tracestream.guards;

import io.tracestream.domain.guards.RunAlert;
import io.tracestream.ops.ThrottledWarning;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Posts run alerts to an Alertmanager ({@code POST <url>/api/v2/alerts}), as Prometheus posts its
 * own: each finding at once, again every {@code repostEvery} while it lasts with an endsAt
 * {@value AlertmanagerOutbox#REPOSTS_PER_VALIDITY} intervals ahead (so it resolves by itself if
 * every instance stops posting), and its resolution once, with endsAt its resolution time.
 *
 * <p>The callers never wait: {@link #raised} and {@link #resolved} note the finding and return; one
 * worker thread posts, every owed alert in one request. An unreachable, refusing or slow
 * Alertmanager only delays that thread: it retries with a growing pause (at most
 * {@link #MAX_BACKOFF} or {@code repostEvery}, whichever is shorter) and, when Alertmanager answers
 * again, posts everything current. Each instance posts the findings it hears of; Alertmanager merges
 * the same finding from several instances into one alert (same labels, see {@link AlertmanagerAlert}).
 *
 * <p>Logs (throttled) why posting fails, never an alert's content: evidence may hold a tool's arguments.
 */
public final class AlertmanagerPoster implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AlertmanagerPoster.class.getName());

    /**
     * How many findings are remembered at most (open ones, and resolutions not yet taken). Why
     * this many: each run raises a handful, so ten thousand open at once means thousands of runs
     * misbehaving together; each takes about the size of its evidence (the description is cut at
     * {@value AlertmanagerAlert#MAX_DESCRIPTION_CHARS} characters), a few tens of MB at worst.
     */
    public static final int MAX_FINDINGS = 10_000;
    /**
     * How many alerts one request carries at most. Why: after an outage everything is owed at once;
     * a thousand alerts (about 2 MB) still post well within a timeout, the rest follow at once.
     */
    static final int MAX_ALERTS_PER_POST = 1_000;
    /** The first pause after a failed post: Alertmanager restarting is back within seconds. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    /** The longest pause between attempts: an alert arrives at most this late after Alertmanager is back. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final String API_PATH = "/api/v2/alerts";
    private static final int HTTP_OK_MIN = 200;
    private static final int HTTP_OK_MAX = 299;
    private static final int HTTP_CLIENT_ERROR_MIN = 400;
    private static final int HTTP_CLIENT_ERROR_MAX = 499;
    private static final int HTTP_REQUEST_TIMEOUT = 408;
    private static final int HTTP_TOO_MANY_REQUESTS = 429;

    private final URI alertsEndpoint;
    private final Duration timeout;
    private final int capacity;
    private final Duration maxBackoff;
    private final Clock clock;
    private final HttpClient http;
    private final AlertmanagerOutbox outbox;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ThrottledWarning postFailed = new ThrottledWarning(LOG, ThrottledWarning.EVERY);
    private final ThrottledWarning overflow = new ThrottledWarning(LOG, ThrottledWarning.EVERY);
    private final Thread worker;
    private boolean closed;
    private int failures;
    private Instant retryAt = Instant.MIN;

    /**
     * Starts the worker thread.
     *
     * @param alertmanagerUrl Alertmanager's base URL ({@code http://alertmanager:9093}, with its
     *                        path prefix if it has one); the alerts go to {@code <url>/api/v2/alerts}
     * @param publicUrl       where users reach Trace Stream: the alerts link to the trace page there
     * @param runbookBaseUrl  the folder of the runbooks: {@code runbook_url} is {@code <base>/<file>.md}
     * @param repostEvery     how often an open finding is posted again
     * @param timeout         how long connecting, and then one request, may take
     * @param clock           the time of startsAt and endsAt, and of the schedule
     */
    public AlertmanagerPoster(URI alertmanagerUrl, URI publicUrl, String runbookBaseUrl, Duration repostEvery,
                              Duration timeout, Clock clock) {
        this(alertmanagerUrl, new AlertmanagerAlert(publicUrl, runbookBaseUrl), repostEvery, timeout, clock, MAX_FINDINGS,
                true);
    }

    /**
     * A poster whose open findings are posted again only when the caller says they still last
     * ({@link #repost}), at least every {@code repostEvery}: for a caller that first reads whether
     * another instance resolved them, so a resolved alert is never fired again by a stale re-post.
     */
    public static AlertmanagerPoster repostedByCaller(URI alertmanagerUrl, URI publicUrl, String runbookBaseUrl,
                                                      Duration repostEvery, Duration timeout, Clock clock) {
        return new AlertmanagerPoster(alertmanagerUrl, new AlertmanagerAlert(publicUrl, runbookBaseUrl), repostEvery,
                timeout, clock, MAX_FINDINGS, false);
    }

    AlertmanagerPoster(URI alertmanagerUrl, AlertmanagerAlert format, Duration repostEvery, Duration timeout,
                       Clock clock, int capacity) {
        this(alertmanagerUrl, format, repostEvery, timeout, clock, capacity, true);
    }

    private AlertmanagerPoster(URI alertmanagerUrl, AlertmanagerAlert format, Duration repostEvery, Duration timeout,
                               Clock clock, int capacity, boolean repostsItself) {
        this.alertsEndpoint = URI.create(withoutTrailingSlash(alertmanagerUrl.toString()) + API_PATH);
        this.timeout = timeout;
        this.capacity = capacity;
        this.maxBackoff = repostEvery.compareTo(MAX_BACKOFF) < 0 ? repostEvery : MAX_BACKOFF;
        this.clock = clock;
        this.outbox = new AlertmanagerOutbox(format, repostEvery, capacity, repostsItself);
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                // Alertmanager speaks HTTP/1.1 on a plain port; no h2c upgrade attempt.
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.worker = new Thread(this::run, "tracestream-alertmanager");
        worker.setDaemon(true);
        worker.start();
    }

    /** A finding was raised: posted at once (by the worker), then re-posted while it lasts. Never blocks, never throws. */
    public void raised(String traceId, String agent, RunAlert alert) {
        note(traceId, agent, alert, Note.RAISED);
    }

    /** A finding was resolved: its resolution is posted (by the worker) until taken. Never blocks, never throws. */
    public void resolved(String traceId, String agent, RunAlert alert) {
        note(traceId, agent, alert, Note.RESOLVED);
    }

    /** The finding still lasts (for a poster {@link #repostedByCaller}): posted again at once. Never blocks, never throws. */
    public void repost(String traceId, String agent, RunAlert alert) {
        note(traceId, agent, alert, Note.REPOST);
    }

    private enum Note { RAISED, REPOST, RESOLVED }

    private void note(String traceId, String agent, RunAlert alert, Note note) {
        if (traceId == null || alert == null) {
            return;
        }
        long droppedOpen;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            Instant now = clock.instant();
            switch (note) {
                case RAISED -> outbox.raised(traceId, agent, alert, now);
                case REPOST -> outbox.repost(traceId, agent, alert, now);
                case RESOLVED -> outbox.resolved(traceId, agent, alert, now);
            }
            droppedOpen = outbox.takeDroppedOpen();
            changed.signalAll();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not note a run alert for Alertmanager: " + e.getClass().getName());
            return;
        } finally {
            lock.unlock();
        }
        if (droppedOpen > 0) {
            overflow.warn(() -> "Alertmanager: more than " + capacity + " run alerts open or owed; dropped the "
                    + "oldest open one(s) (" + droppedOpen + "): Alertmanager resolves them when their endsAt passes");
        }
    }

    /** Stops the worker: open findings stop being re-posted and resolve in Alertmanager when their endsAt passes. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        worker.interrupt();
        try {
            worker.join(timeout.toMillis() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many findings are remembered: open ones, and resolutions not yet taken. */
    int remembered() {
        lock.lock();
        try {
            return outbox.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the last post failed and the worker waits before the next attempt. */
    boolean backoffInEffect() {
        lock.lock();
        try {
            return failures > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Whether anything is waiting to be posted. */
    boolean anythingOwed() {
        lock.lock();
        try {
            return outbox.anyOwed();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            while (true) {
                AlertmanagerOutbox.Batch batch = awaitOwed();
                if (batch == null) {
                    return;
                }
                Outcome outcome = post(batch);
                lock.lock();
                try {
                    afterPost(batch, outcome);
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Waits until something is owed and no backoff holds it; null once closed. */
    private AlertmanagerOutbox.Batch awaitOwed() throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                Instant now = clock.instant();
                if (now.isBefore(retryAt)) {
                    awaitUntil(now, retryAt);
                    continue;
                }
                outbox.tick(now);
                AlertmanagerOutbox.Batch batch = outbox.owed(now, MAX_ALERTS_PER_POST);
                if (!batch.isEmpty()) {
                    return batch;
                }
                Instant next = outbox.nextRepostAt();
                if (next == null) {
                    changed.await();
                } else {
                    awaitUntil(now, next);
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void awaitUntil(Instant now, Instant until) throws InterruptedException {
        long nanos = Duration.between(now, until).toNanos();
        if (nanos > 0) {
            changed.awaitNanos(nanos);
        }
    }

    /** How a post went: taken; refused for good (a 4xx: posting the same again would not help); or failed, to retry. */
    private record Outcome(boolean taken, boolean refused, String why) {}

    private Outcome post(AlertmanagerOutbox.Batch batch) throws InterruptedException {
        String body;
        try {
            body = batch.alerts().toString();
        } catch (RuntimeException e) {
            // Never expected; but a finding that cannot be written must not stop the worker, nor be retried forever.
            return new Outcome(false, true, "could not write the request: " + e.getClass().getName());
        }
        HttpRequest request = HttpRequest.newBuilder(alertsEndpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= HTTP_OK_MIN && status <= HTTP_OK_MAX) {
                return new Outcome(true, false, null);
            }
            boolean retryable = status < HTTP_CLIENT_ERROR_MIN || status > HTTP_CLIENT_ERROR_MAX
                    || status == HTTP_REQUEST_TIMEOUT || status == HTTP_TOO_MANY_REQUESTS;
            return new Outcome(false, !retryable, "HTTP " + status);
        } catch (IOException e) {
            // The exception's class and message say connection refused, timed out, reset: no alert content.
            return new Outcome(false, false, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private void afterPost(AlertmanagerOutbox.Batch batch, Outcome outcome) {
        if (outcome.taken() || outcome.refused()) {
            outbox.taken(batch);
            if (failures > 0 && outcome.taken()) {
                int failed = failures;
                LOG.info(() -> "Alertmanager at " + alertsEndpoint + " takes run alerts again, after " + failed + " failed attempt(s)");
            }
            failures = 0;
            retryAt = Instant.MIN;
            if (outcome.refused()) {
                postFailed.warn(() -> "Alertmanager at " + alertsEndpoint + " refused " + batch.size()
                        + " run alert(s) (" + outcome.why() + "); not retried, open ones are re-posted on schedule");
            }
            return;
        }
        failures++;
        Duration pause = backoff(failures);
        retryAt = clock.instant().plus(pause);
        int owed = outbox.size();
        postFailed.warn(() -> "Could not post " + batch.size() + " run alert(s) to Alertmanager at " + alertsEndpoint
                + " (" + outcome.why() + "); retrying in " + pause.toMillis() + " ms, " + owed + " finding(s) kept");
    }

    /** 1 s, 2 s, 4 s ... up to the bound. */
    Duration backoff(int failuresInARow) {
        Duration pause = FIRST_BACKOFF;
        for (int i = 1; i < failuresInARow && pause.compareTo(maxBackoff) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(maxBackoff) > 0 ? maxBackoff : pause;
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
