package io.tracestream.live;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.summary.TraceStatus;
import io.tracestream.traces.TraceRows.RowJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListFilterTest {

    static RowJson row(String traceId) {
        return new RowJson(traceId, TraceStatus.RUNNING, List.of("a"), "{}");
    }

    @Test
    void aStreamOfAKeyWithPrefixesIsSentOnlyTheRowsOfItsTraces() {
        ListFilter acme = new ListFilter(null, null, List.of("acme-", "beta-"));
        assertTrue(acme.wants(row("acme-1"), null));
        assertTrue(acme.wants(row("beta-1"), TraceStatus.RUNNING));
        assertFalse(acme.wants(row("other-1"), null));
        assertFalse(acme.wants(row("other-1"), TraceStatus.RUNNING), "not even to take a row off: it was never sent");
        assertTrue(new ListFilter(null, null).wants(row("other-1"), null), "no prefixes: every trace");
    }
}
