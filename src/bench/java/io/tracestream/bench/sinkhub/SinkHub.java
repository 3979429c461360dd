package io.tracestream.bench.sinkhub;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JAX-RS floor of an open stream: the bare hub's relay (see {@code bench.hub.BareHub}) with
 * its streams held as JAX-RS {@link SseEventSink}s, the API Trace Stream's stream endpoint is
 * built on. The benchmark measures the heap an idle stream holds here, so that what Jersey keeps
 * per open sink is measured beside what the servlet hub keeps. Not part of the product.
 */
@Path("/traces/{trace}")
public class SinkHub {

    /** A trace's sinks and frame counter; every send holds its lock, so ids arrive in order. */
    private static final class Trace {
        final List<SseEventSink> sinks = new ArrayList<>();
        OutboundSseEvent first;
        long frames;
    }

    private static final ConcurrentHashMap<String, Trace> TRACES = new ConcurrentHashMap<>();

    @Context
    Sse sse;

    @POST
    @Path("events")
    @Consumes(MediaType.WILDCARD)
    public Response post(@PathParam("trace") String id, String body) {
        Trace trace = TRACES.computeIfAbsent(id, k -> new Trace());
        synchronized (trace) {
            OutboundSseEvent event = sse.newEventBuilder().id("0-" + ++trace.frames).data(body).build();
            if (trace.first == null) {
                trace.first = event;
            }
            for (Iterator<SseEventSink> it = trace.sinks.iterator(); it.hasNext(); ) {
                SseEventSink sink = it.next();
                if (sink.isClosed()) {
                    it.remove();
                } else {
                    sink.send(event);
                }
            }
        }
        return Response.accepted().build();
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@PathParam("trace") String id, @Context SseEventSink sink) {
        Trace trace = TRACES.computeIfAbsent(id, k -> new Trace());
        synchronized (trace) {
            if (trace.first != null) {
                sink.send(trace.first);
            }
            trace.sinks.add(sink);
        }
    }
}
