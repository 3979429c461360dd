package io.tracestream.http;

import io.tracestream.domain.TraceId;

/** Request-side checks of trace ids: an invalid one ends the request with a 400 naming where it was. */
public final class TraceIds {

    private TraceIds() {}

    public static void requireValid(String where, String traceId) {
        if (!TraceId.isValid(traceId)) {
            throw new ProblemException(Problem.invalidParameter(where, TraceId.describeProblem(traceId)));
        }
    }
}
