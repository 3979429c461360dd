package io.tracestream.http;

import io.tracestream.auth.Access;
import io.tracestream.live.StreamClient;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Instant;

/**
 * A request that opens a stream, as the live engine takes it: the client to write to, when the
 * stream must end, and what to run when it does. A resource opens the stream with these, then says
 * so ({@link #opened}); a request whose stream did not open gives its key's slot back when it
 * returns.
 */
public final class StreamRequest {

    private final StreamClient client;
    private final Instant endBy;
    private final StreamEnd end;

    private StreamRequest(StreamClient client, Instant endBy, StreamEnd end) {
        this.client = client;
        this.endBy = endBy;
        this.end = end;
    }

    /** The stream request of this JAX-RS resource call; resolved on the request's thread. */
    public static StreamRequest of(SseEventSink sink, HttpServletRequest request, HttpServletResponse response) {
        return new StreamRequest(SseConnection.of(sink, request, response), deadline(request), StreamEnd.of(request));
    }

    public StreamClient client() {
        return client;
    }

    /**
     * When the stream must end because the credential it was opened with expires: a browser
     * session's end ({@link Instant#MAX} for a key, which never expires). The client then
     * reconnects, signs in again and resumes by Last-Event-ID, so a stolen or outdated session
     * cannot keep watching forever.
     */
    public Instant endBy() {
        return endBy;
    }

    /** To run once when the stream ends: gives the key's stream slot back. */
    public Runnable ended() {
        return end;
    }

    /** The live engine holds the stream now, and runs {@link #ended} when it ends. */
    public void opened() {
        end.handedOver();
    }

    private static Instant deadline(HttpServletRequest request) {
        return request.getAttribute(Access.REQUEST_ATTRIBUTE) instanceof Access access ? access.expiresAt() : Instant.MAX;
    }
}
