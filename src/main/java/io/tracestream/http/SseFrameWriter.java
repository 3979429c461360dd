package io.tracestream.http;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.List;

/**
 * Writes a {@link SinkFrame}'s bytes as they are; the stream is flushed once, after the whole
 * frame. Jersey's event sink writes a line break after each frame it sends, so the frame's last
 * block leaves out its own final one.
 */
@Provider
@Produces(MediaType.SERVER_SENT_EVENTS)
public class SseFrameWriter implements MessageBodyWriter<SinkFrame> {

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == SinkFrame.class;
    }

    @Override
    public void writeTo(SinkFrame frame, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        List<byte[]> parts = frame.frame().parts();
        int last = parts.size() - 1;
        for (int i = 0; i < last; i++) {
            out.write(parts.get(i));
        }
        if (last >= 0) {
            byte[] part = parts.get(last);
            out.write(part, 0, part.length - 1);
        }
        frame.written();
    }
}
