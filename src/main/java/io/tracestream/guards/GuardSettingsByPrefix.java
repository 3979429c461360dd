package io.tracestream.guards;

import io.tracestream.domain.guards.GuardSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The run guards' thresholds for each trace: the configured ones, or those of the longest trace
 * prefix with its own ({@code tracestream.guards.overrides}), since a key's prefix is a team or a
 * project and teams differ in what a runaway run is. Written
 * {@code "acme-: max-run-cost-usd=5 same-tool-calls=3; lab-: silent-after=PT5M"}; a mistake fails at
 * start-up, naming it.
 */
public final class GuardSettingsByPrefix {

    private record Override(String prefix, GuardSettings settings) {}

    private final GuardSettings base;
    /** Longest prefix first, so the first match is the most specific. */
    private final List<Override> overrides;

    private GuardSettingsByPrefix(GuardSettings base, List<Override> overrides) {
        this.base = base;
        this.overrides = overrides;
    }

    /** @throws IllegalArgumentException naming the part of {@code overrides} that is wrong */
    public static GuardSettingsByPrefix parse(GuardSettings base, String overrides) {
        List<Override> parsed = new ArrayList<>();
        for (String part : overrides.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int colon = part.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("tracestream.guards.overrides: \"" + part.trim()
                        + "\" is not \"prefix: key=value ...\"");
            }
            String prefix = part.substring(0, colon).trim();
            GuardSettings settings = base;
            for (String pair : part.substring(colon + 1).trim().split("\\s+")) {
                if (!pair.isEmpty()) {
                    settings = with(settings, prefix, pair);
                }
            }
            parsed.add(new Override(prefix, settings));
        }
        parsed.sort(Comparator.comparingInt((Override o) -> o.prefix().length()).reversed());
        return new GuardSettingsByPrefix(base, List.copyOf(parsed));
    }

    /** The thresholds for the trace. */
    public GuardSettings forTrace(String traceId) {
        for (Override o : overrides) {
            if (traceId.startsWith(o.prefix())) {
                return o.settings();
            }
        }
        return base;
    }

    private static GuardSettings with(GuardSettings s, String prefix, String pair) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        try {
            return switch (key) {
                case "same-tool-calls" -> s.withSameToolCalls(Integer.parseInt(value));
                case "handoff-cycles" -> s.withHandoffCycles(Integer.parseInt(value));
                case "model-calls-per-agent" -> s.withModelCallsPerAgent(Integer.parseInt(value));
                case "max-run-cost-usd" -> s.withBudget(new BigDecimal(value), s.maxRunTokens());
                case "max-run-tokens" -> s.withBudget(s.maxRunCostUsd(), Long.parseLong(value));
                case "budget-warning-ratio" -> s.withBudgetWarningRatio(new BigDecimal(value));
                case "silent-after" -> s.withSilentAfter(Duration.parse(value));
                case "error-burst-steps" -> s.withErrorBurst(Integer.parseInt(value), s.errorBurstWindow());
                case "error-burst-window" -> s.withErrorBurst(s.errorBurstSteps(), Duration.parse(value));
                case "max-run-duration" -> s.withMaxRunDuration(Duration.parse(value));
                default -> throw new IllegalArgumentException("unknown setting \"" + key + "\"");
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("tracestream.guards.overrides, prefix \"" + prefix + "\": \"" + pair
                    + "\" has no valid value (a number, or an ISO-8601 duration such as PT60S)", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tracestream.guards.overrides, prefix \"" + prefix + "\": "
                    + e.getMessage(), e);
        }
    }
}
