package io.tracestream.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracestream.http.ProblemException;
import org.junit.jupiter.api.Test;

class TraceQueryParametersTest {

    @Test
    void sinceBeyondWhatMillisecondsHoldIsBeforeOrAfterEveryTraceNotAServerError() {
        // toEpochMilli threw ArithmeticException and GET /traces?since=-999999999-01-01T00:00:00Z answered 500.
        assertEquals(Long.MIN_VALUE, TraceQueryResource.sinceMillis("-999999999-01-01T00:00:00Z"));
        assertEquals(Long.MAX_VALUE, TraceQueryResource.sinceMillis("+999999999-12-31T23:59:59Z"));
        assertEquals(1_737_369_045_000L, TraceQueryResource.sinceMillis("2025-01-20T10:30:45Z"));
        assertEquals(Long.MIN_VALUE, TraceQueryResource.sinceMillis(" "));
        assertEquals(400, assertThrows(ProblemException.class, () -> TraceQueryResource.sinceMillis("yesterday"))
                .problem().status());
    }
}
