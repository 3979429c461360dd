package io.tracestream.guards;

import io.tracestream.domain.guards.RunAlert;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/** Placeholder until the real poster is merged. */
public final class AlertmanagerPoster {
    public AlertmanagerPoster(URI alertmanagerUrl, URI publicUrl, String runbookBaseUrl, Duration repostEvery,
                              Duration timeout, Clock clock) {}
    public void raised(String traceId, String agent, RunAlert alert) {}
    public void resolved(String traceId, String agent, RunAlert alert) {}
    public void close() {}
}
