package io.tracestream.domain.summary;

import io.tracestream.domain.pricing.PriceCatalog;
import java.util.List;
import java.util.Map;

/**
 * Token usage and cost of a trace.
 *
 * @param byAgent            sorted by agent id
 * @param byModel            sorted by model; events that name no model count only in the total
 *                           and their agent's line
 * @param modelsWithoutPrice models of events whose cost is unknown, sorted: what to add to the
 *                           price table
 * @param priceTable         the bundled table estimates come from, or {@code null} when there is
 *                           none (the operator's prices alone)
 */
public record UsageSummary(
        Usage total,
        Map<String, Usage> byAgent,
        Map<String, Usage> byModel,
        List<String> modelsWithoutPrice,
        PriceCatalog.Origin priceTable) {}
