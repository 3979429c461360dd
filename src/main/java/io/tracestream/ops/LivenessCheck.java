package io.tracestream.ops;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the application is deployed and answering. Redis being down is not a reason to
 * restart an instance (readiness covers it), so this check does not look at Redis. Nor does stuck
 * work or a deadlock fail it ({@link WatchdogCheck} makes the instance not ready instead): not
 * ready already takes it out of the load balancer, while a restart would destroy the thread dump
 * that shows the cause, and a bug that deadlocks under some load would restart every instance in
 * turn. Restarting a stuck instance is the operator's call, per {@code runbooks/work-stuck.md}.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up("trace-stream");
    }
}
