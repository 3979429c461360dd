package io.tracestream.ops;

import io.tracestream.config.TraceStreamConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Arrays;
import java.util.logging.Logger;
import java.util.stream.LongStream;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the instance is stuck: a unit of ingest or read work ({@link InFlightWork}) has
 * been in progress longer than {@code tracestream.health.stuck-after}, or threads of the JVM are
 * deadlocked ({@link DeadlockedThreads}). Why: a lock-order deadlock once made every export into a
 * trace and every {@code GET /traces} hang forever while {@code /health/ready} still answered 200,
 * so the load balancer kept sending requests to an instance that could only make them wait.
 *
 * <p>Readiness, not liveness ({@link LivenessCheck} stays up): not ready is what takes the instance
 * out of the load balancer, and that stops the harm. A restart would also end the stuck work, but
 * with it the evidence (the thread dump that shows who holds which lock), and a bug that deadlocks
 * under some load would restart every instance in turn; so restarting is the operator's call, after
 * a thread dump, per {@code runbooks/work-stuck.md}. Work that was only slow (a Redis that answered
 * in the end) ends, and the instance is ready again by itself; a deadlock never ends.
 *
 * <p>Each time it answers down it says why in the log (at most once a minute), with the stacks of
 * the oldest stuck thread and of the deadlocked ones, so the evidence outlives a restart.
 *
 * <p>Down, without reading the configuration, until the application is deployed (see
 * {@link ReadinessCheck}: Payara answers {@code /health/ready} before that).
 */
@Readiness
@ApplicationScoped
public class WatchdogCheck implements HealthCheck {

    static final String NAME = "watchdog";
    private static final Logger LOG = Logger.getLogger(WatchdogCheck.class.getName());

    private final ThrottledWarning stuckWarning = new ThrottledWarning(LOG, ThrottledWarning.EVERY);

    /** What it watches; null until the application is deployed. */
    private volatile Watched watched;

    private record Watched(InFlightWork work, DeadlockedThreads deadlocks, Duration stuckAfter) {}

    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object event, InFlightWork work,
                   DeadlockedThreads deadlocks, TraceStreamConfig config) {
        watched = new Watched(work, deadlocks, config.stuckAfter());
    }

    /** For tests: a check watching these, as once deployed. */
    static WatchdogCheck of(InFlightWork work, DeadlockedThreads deadlocks, Duration stuckAfter) {
        WatchdogCheck check = new WatchdogCheck();
        check.watched = new Watched(work, deadlocks, stuckAfter);
        return check;
    }

    @Override
    public HealthCheckResponse call() {
        Watched w = watched;
        if (w == null) {
            return HealthCheckResponse.named(NAME).down().withData("starting", true).build();
        }
        InFlightWork.Snapshot work = w.work().snapshot(w.stuckAfter());
        long[] deadlocked = w.deadlocks().ids();
        boolean up = work.stuck() == 0 && deadlocked.length == 0;
        if (!up) {
            stuckWarning.warn(() -> why(work, deadlocked, w.stuckAfter()));
        }
        return HealthCheckResponse.named(NAME)
                .status(up)
                .withData("in_flight", work.inFlight())
                .withData("stuck", work.stuck())
                .withData("oldest_ms", work.oldestMillis())
                .withData("oldest_work", work.oldestKind() == null ? "none" : work.oldestKind().wireName())
                .withData("deadlocked_threads", deadlocked.length)
                .withData("stuck_after_ms", w.stuckAfter().toMillis())
                .build();
    }

    /** The log's account of a down answer: what is stuck, and the stacks that show where. */
    private static String why(InFlightWork.Snapshot work, long[] deadlocked, Duration stuckAfter) {
        StringBuilder out = new StringBuilder("Not ready: ");
        if (work.stuck() > 0) {
            out.append(work.stuck()).append(" unit(s) of work in progress longer than ").append(stuckAfter)
                    .append(" (tracestream.health.stuck-after); the oldest: ").append(work.oldestKind().wireName())
                    .append(work.oldestTraceId() == null ? "" : " of trace " + work.oldestTraceId())
                    .append(", ").append(work.oldestMillis()).append(" ms, on thread \"").append(work.oldestThread())
                    .append("\"");
        }
        if (deadlocked.length > 0) {
            out.append(work.stuck() > 0 ? "; " : "").append(deadlocked.length).append(" deadlocked threads");
        }
        out.append(". Take a thread dump (jcmd <pid> Thread.print, or kill -QUIT <pid>) before any restart: runbooks/work-stuck.md.");
        long[] shown = work.stuck() > 0
                ? LongStream.concat(LongStream.of(work.oldestThreadId()), Arrays.stream(deadlocked)).distinct().toArray()
                : deadlocked;
        String stacks = ThreadStacks.of(shown);
        return stacks.isEmpty() ? out.toString() : out.append('\n').append(stacks).toString();
    }
}
