package io.tracestream.domain.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A small hand-written price table in the bundled form ({@value #RESOURCE}), shaped like the real
 * one: OpenAI's dated snapshots, Anthropic's prefix rules, a Bedrock host, a fallback provider, a
 * tiered, a dated and an hourly price, and one model two hosts sell at different prices.
 */
public final class TestPriceCatalog {

    public static final String RESOURCE = "/io/tracestream/domain/pricing/test-prices.json";

    private TestPriceCatalog() {}

    public static PriceCatalog catalog() {
        try (InputStream in = TestPriceCatalog.class.getResourceAsStream(RESOURCE)) {
            return PriceCatalog.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
