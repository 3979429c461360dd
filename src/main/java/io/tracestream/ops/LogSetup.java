package io.tracestream.ops;

import io.tracestream.config.TraceStreamConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Writes Trace Stream's own log lines as JSON to standard output ({@code tracestream.log.format=json},
 * the default, for Loki or Elasticsearch), or leaves them to the server's plain text format
 * ({@code plain}, for development).
 */
@ApplicationScoped
public class LogSetup {

    static final String ROOT_LOGGER = "io.tracestream";

    @Inject
    TraceStreamConfig config;

    private Handler handler;
    private final Logger root = Logger.getLogger(ROOT_LOGGER);

    /**
     * Before the other start-up observers (default priority), because they create the event bus,
     * whose first lines (the backend chosen, the readers started) must be JSON too.
     */
    void onStartup(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) @Initialized(ApplicationScoped.class) Object event) {
        if ("json".equalsIgnoreCase(config.logFormat())) {
            handler = new StreamHandler(System.out, new JsonLogFormatter(config.instanceName())) {
                @Override
                public synchronized void publish(java.util.logging.LogRecord record) {
                    super.publish(record);
                    flush(); // one line at a time, as a log shipper reads them
                }
            };
            root.addHandler(handler);
            root.setUseParentHandlers(false);
        }
    }

    @PreDestroy
    void restore() {
        if (handler != null) {
            root.removeHandler(handler);
            root.setUseParentHandlers(true);
        }
    }
}
