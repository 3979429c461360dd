package io.tracestream.wiring;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsFailureLogFilterTest {

    @Test
    void oneHandshakeFailurePassesPerMinuteAndEveryOtherRecordAlways() {
        TlsFailureLogFilter filter = new TlsFailureLogFilter();
        assertTrue(filter.isLoggable(handshakeFailure()), "the first, with its stack trace");
        for (int i = 0; i < 100; i++) {
            assertFalse(filter.isLoggable(handshakeFailure()), "the same failure again within the minute");
            assertTrue(filter.isLoggable(new LogRecord(Level.SEVERE, "something else")), "other records pass");
        }
        LogRecord other = new LogRecord(Level.SEVERE, "Exception occurred");
        other.setThrown(new IllegalStateException("not TLS"));
        assertTrue(filter.isLoggable(other), "other exceptions pass");
    }

    private static LogRecord handshakeFailure() {
        LogRecord r = new LogRecord(Level.SEVERE, "Exception occurred. Channel: [id: 0x1]");
        r.setThrown(new RuntimeException("io.netty.handler.codec.DecoderException",
                new SSLHandshakeException("PKIX path building failed")));
        return r;
    }
}
