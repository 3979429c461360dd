package io.tracestream.http;

import io.tracestream.live.SseFrame;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.lang.reflect.Type;

/**
 * A frame as the JAX-RS event sink takes it: the frame's bytes, written as they are by {@link
 * SseFrameWriter}, which notes the thread that wrote them ({@link SseConnection} then knows
 * whether Jersey is done with the response). The accessors describe it for the JAX-RS API;
 * nothing reads them.
 */
final class SinkFrame implements OutboundSseEvent {

    private final SseFrame frame;
    private volatile Thread writtenBy;

    SinkFrame(SseFrame frame) {
        this.frame = frame;
    }

    SseFrame frame() {
        return frame;
    }

    /** Called by the writer once the frame is written. */
    void written() {
        writtenBy = Thread.currentThread();
    }

    /** The thread that wrote the frame to the response, once one has. */
    Thread writtenBy() {
        return writtenBy;
    }

    @Override
    public String getId() {
        return null;
    }

    @Override
    public String getName() {
        return null;
    }

    @Override
    public String getComment() {
        return null;
    }

    @Override
    public long getReconnectDelay() {
        return -1;
    }

    @Override
    public boolean isReconnectDelaySet() {
        return false;
    }

    @Override
    public Class<?> getType() {
        return SinkFrame.class;
    }

    @Override
    public Type getGenericType() {
        return SinkFrame.class;
    }

    @Override
    public MediaType getMediaType() {
        return MediaType.SERVER_SENT_EVENTS_TYPE;
    }

    @Override
    public Object getData() {
        return this;
    }
}
