package io.tracestream.wiring;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.content.ContentPolicy;
import io.tracestream.domain.content.Redaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The operator's content policy, built once from the configuration; a bad setting fails deployment, naming it. */
@ApplicationScoped
public class ContentPolicyProducer {

    @Inject
    TraceStreamConfig config;

    @Produces
    @Singleton
    ContentPolicy policy() {
        return new ContentPolicy(ContentPolicy.Capture.parse(config.contentCapture()), config.contentMaxBytes(),
                config.contentPreviewChars(), Redaction.of(config.contentRedactBuiltin(), config.contentRedact()));
    }
}
