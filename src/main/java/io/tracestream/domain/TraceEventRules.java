package io.tracestream.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The limits every stored {@link TraceEvent} keeps, whichever producer adapter made it: our JSON
 * ({@link TraceEventJson}) reads an event and checks each field with these rules as it goes; an
 * adapter that builds events itself (OTLP spans) checks the finished event with {@link #check}.
 * One set of rules, so that a dashboard, the summary and the store never meet an event that one
 * way in would have refused.
 *
 * <p>Each rule answers the problem as a short message ("must be at most 256 characters"), or
 * {@code null} when the value is fine; the caller names the field.
 */
public final class TraceEventRules {

    /** Longest accepted value of an identifier-like field (agent, span, task, model, ...). */
    public static final int MAX_NAME_LENGTH = 256;
    /** Longest accepted free text (error message, attribute value): room for a stack trace. */
    public static final int MAX_TEXT_LENGTH = 65_536;
    public static final int MAX_ATTRIBUTES = 128;

    /**
     * Largest accepted count (tokens, milliseconds: 31 years). Why a bound: the summary and the
     * metrics add counts and turn milliseconds into nanoseconds in longs, and 2^63 - 1 milliseconds
     * overflowed there, failing the trace's page and summary for good. No real count comes near it.
     */
    public static final long MAX_COUNT = 1_000_000_000_000L;
    /** What a count (tokens, milliseconds) must be. */
    public static final String COUNT_RULE = "must be a whole number from 0 to " + MAX_COUNT;
    /**
     * The accepted range of timestamps. Why a range: the summary takes durations between any two
     * of a trace's timestamps in milliseconds and nanoseconds (longs, 292 years), and one event of
     * year -999999999 failed its trace's page, its summary and the list of all traces for good.
     * Before the epoch is a clock that was never set; the upper bound keeps every distance in range.
     */
    public static final Instant MIN_TIMESTAMP = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant MAX_TIMESTAMP = Instant.parse("2200-01-01T00:00:00Z");
    public static final String TIMESTAMP_RULE = "must be from " + MIN_TIMESTAMP + " to before " + MAX_TIMESTAMP;
    /**
     * Largest accepted amount (cost in USD) and most decimal places. Why bounds at all: JSON numbers
     * are exact decimals, and {@code 1e999999999} is a short text whose sum with {@code 0.01} (the
     * summary adds costs) or whose rounding for display is a number of a billion digits: minutes of
     * CPU and gigabytes per request. No real cost comes near either bound.
     */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");
    public static final int MAX_AMOUNT_DECIMALS = 30;
    /** What an amount (cost) must be. */
    public static final String AMOUNT_RULE = "must be a number >= 0, at most " + MAX_AMOUNT.toPlainString()
            + ", with at most " + MAX_AMOUNT_DECIMALS + " decimal places";
    /** What an attribute value must be. */
    public static final String SCALAR_RULE = "must be a string, number or boolean";

    private TraceEventRules() {}

    /**
     * {@code s} cut to at most {@code max} characters, the cut marked with the original length:
     * {@code "... [truncated: 104857 characters, 65490 kept]"}. Why cut rather than refuse: a span
     * or call is never lost for one oversized text; its reader sees that, and how much, is missing.
     */
    public static String cutText(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        String mark = "… [truncated: " + s.length() + " characters, ";
        String end = " kept]";
        int keep = Math.max(0, max - mark.length() - end.length() - String.valueOf(max).length());
        keep = Math.max(0, max - mark.length() - end.length() - String.valueOf(keep).length());
        if (keep > 0 && Character.isHighSurrogate(s.charAt(keep - 1))) {
            keep--; // never split a character in two
        }
        return s.substring(0, keep) + mark + keep + end;
    }

    /** A string field: present strings are not empty and at most {@code maxLength} characters. */
    public static String stringProblem(String value, int maxLength) {
        if (value.isEmpty()) {
            return "must not be empty";
        }
        if (value.length() > maxLength) {
            return "must be at most " + maxLength + " characters";
        }
        return null;
    }

    public static String countProblem(long value) {
        return value < 0 || value > MAX_COUNT ? COUNT_RULE : null;
    }

    public static String timestampProblem(Instant value) {
        return value.isBefore(MIN_TIMESTAMP) || !value.isBefore(MAX_TIMESTAMP) ? TIMESTAMP_RULE : null;
    }

    public static String amountProblem(BigDecimal value) {
        // compareTo and stripTrailingZeros look at the exponent first: cheap even for 1e999999999.
        return value.signum() < 0 || value.compareTo(MAX_AMOUNT) > 0 || value.stripTrailingZeros().scale() > MAX_AMOUNT_DECIMALS
                ? AMOUNT_RULE : null;
    }

    public static String attributeCountProblem(int count) {
        return count > MAX_ATTRIBUTES ? "must have at most " + MAX_ATTRIBUTES + " entries" : null;
    }

    public static String attributeKeyProblem(String key) {
        return key.isEmpty() || key.length() > MAX_NAME_LENGTH
                ? "key must be 1 to " + MAX_NAME_LENGTH + " characters" : null;
    }

    /** An attribute value: a string of at most {@link #MAX_TEXT_LENGTH} characters, a number or a boolean. */
    public static String attributeValueProblem(Object value) {
        if (value instanceof String s) {
            return s.length() > MAX_TEXT_LENGTH ? "must be at most " + MAX_TEXT_LENGTH + " characters" : null;
        }
        return value instanceof BigDecimal || value instanceof Boolean ? null : SCALAR_RULE;
    }

    /**
     * A producer's {@code event_type} may be any but {@link EventType#ALERT}: the run guards write
     * those, and a reader trusts an alert because no producer could send one.
     */
    static void producersType(String eventType, String field, List<FieldError> errors) {
        if (EventType.ALERT.equals(eventType)) {
            errors.add(new FieldError(field, "\"" + EventType.ALERT
                    + "\" is written by Trace Stream's run guards, never sent by a producer"));
        }
    }

    /**
     * Every rule broken by a finished event, each named by its field ({@code attributes.x} for an
     * attribute). The event's {@code id} is the store's and is not checked; a trace id, when set,
     * must be valid.
     */
    public static List<FieldError> check(TraceEvent e) {
        List<FieldError> errors = new ArrayList<>(0);
        if (e.traceId() != null && !TraceId.isValid(e.traceId())) {
            errors.add(new FieldError("trace_id", TraceId.describeProblem(e.traceId())));
        }
        required(errors, "event_type", e.eventType());
        required(errors, "agent_id", e.agentId());
        string(errors, "event_type", e.eventType(), MAX_NAME_LENGTH);
        producersType(e.eventType(), "event_type", errors);
        string(errors, "agent_id", e.agentId(), MAX_NAME_LENGTH);
        string(errors, "span_id", e.spanId(), MAX_NAME_LENGTH);
        string(errors, "parent_span_id", e.parentSpanId(), MAX_NAME_LENGTH);
        string(errors, "task_id", e.taskId(), MAX_NAME_LENGTH);
        string(errors, "status", e.status(), MAX_NAME_LENGTH);
        string(errors, "model", e.model(), MAX_NAME_LENGTH);
        string(errors, "event_id", e.eventId(), MAX_NAME_LENGTH);
        if (e.timestamp() != null) {
            add(errors, "timestamp", timestampProblem(e.timestamp()));
        }
        count(errors, "duration_ms", e.durationMs());
        count(errors, "input_tokens", e.inputTokens());
        count(errors, "output_tokens", e.outputTokens());
        if (e.costUsd() != null) {
            add(errors, "cost_usd", amountProblem(e.costUsd()));
        }
        if (e.error() != null) {
            string(errors, "error.type", e.error().type(), MAX_NAME_LENGTH);
            string(errors, "error.message", e.error().message(), MAX_TEXT_LENGTH);
            string(errors, "error.stacktrace", e.error().stacktrace(), MAX_TEXT_LENGTH);
        }
        Map<String, Object> attributes = e.attributes();
        add(errors, "attributes", attributeCountProblem(attributes.size()));
        for (Map.Entry<String, Object> a : attributes.entrySet()) {
            String problem = attributeKeyProblem(a.getKey());
            if (problem == null) {
                problem = attributeValueProblem(a.getValue());
            }
            add(errors, "attributes." + a.getKey(), problem);
        }
        return errors;
    }

    private static void required(List<FieldError> errors, String field, String value) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
        }
    }

    private static void string(List<FieldError> errors, String field, String value, int maxLength) {
        if (value != null) {
            add(errors, field, stringProblem(value, maxLength));
        }
    }

    private static void count(List<FieldError> errors, String field, Long value) {
        if (value != null) {
            add(errors, field, countProblem(value));
        }
    }

    private static void add(List<FieldError> errors, String field, String problem) {
        if (problem != null) {
            errors.add(new FieldError(field, problem));
        }
    }
}
