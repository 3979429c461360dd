package io.tracestream.faults;

import io.tracestream.testing.Api;
import io.tracestream.testkit.PayaraInstance;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** A fault-test instance: the built WAR under target/, 256 MB of heap, reached through the test API client. */
final class Instance extends PayaraInstance {

    Instance(String name, Map<String, String> settings) {
        super(name, Faults.targetDir(), Faults.microJar(), Faults.war(), settings, List.of("-Xmx256m"));
    }

    Api api() {
        return Api.at(URI.create("http://127.0.0.1:" + port() + "/"));
    }
}
