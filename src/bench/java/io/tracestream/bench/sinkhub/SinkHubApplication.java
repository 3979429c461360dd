package io.tracestream.bench.sinkhub;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The JAX-RS floor's application, at the root so its paths are the bare hub's and Trace Stream's. */
@ApplicationPath("/")
public class SinkHubApplication extends Application {
}
