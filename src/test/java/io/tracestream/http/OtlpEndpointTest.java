package io.tracestream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

class OtlpEndpointTest {

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static IOException failureReading(byte[] body) {
        return assertThrows(IOException.class, () -> {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                in.readAllBytes();
            }
        });
    }

    @Test
    void aGzipBodyCutShortIsSaidToEndEarlyEvenWhenTheJdkGivesNoMessage() throws IOException {
        byte[] whole = gzip("{\"resourceSpans\":[]}".repeat(20));
        IOException inTrailer = failureReading(Arrays.copyOf(whole, whole.length - 4));
        assertEquals(EOFException.class, inTrailer.getClass());
        assertEquals(null, inTrailer.getMessage(), "the JDK's own words: none (the answer said \"null\")");
        assertEquals("the gzip body ends early: it was cut short", OtlpEndpoint.gzipFailure(inTrailer));
        IOException inData = failureReading(Arrays.copyOf(whole, whole.length / 2));
        assertEquals("the gzip body ends early: it was cut short (Unexpected end of ZLIB input stream)",
                OtlpEndpoint.gzipFailure(inData));
    }

    @Test
    void aBodyThatIsNotGzipIsSaidToBeNotValidGzip() {
        IOException notGzip = failureReading("{\"resourceSpans\":[]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(ZipException.class, notGzip.getClass());
        assertEquals("the gzip body is not valid gzip (Not in GZIP format)", OtlpEndpoint.gzipFailure(notGzip));
    }
}
