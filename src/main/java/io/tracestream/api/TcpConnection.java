package io.tracestream.api;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.logging.Logger;

/**
 * The TCP connection under a stream request, as Grizzly (Payara's HTTP layer) holds it: this
 * bounds what Grizzly queues for it, and closes it from any thread.
 *
 * <p>Why: a client that stops reading fills its socket buffer. Payara's default lets Grizzly queue
 * every later write on the heap without limit, so 100 frozen dashboards under a flood of events
 * exhaust the heap. With a bound, the write that passes it waits instead, and a write that waits
 * longer than {@code tracestream.sse.write-timeout} means the client stopped reading. Jersey's
 * {@code SseEventSink.close()} cannot end such a stream, because it waits for that same write;
 * terminating the connection fails the write at once and frees the writer thread.
 *
 * <p>Payara offers no API for either, so the Grizzly connection is reached by reflection through
 * Payara's request objects ({@code RequestFacade} → catalina {@code Request} → Grizzly
 * {@code Request} → {@code FilterChainContext} → {@code Connection}); if that path ever changes,
 * streams keep working without the bound and a warning says so once.
 */
final class TcpConnection {

    private static final Logger LOG = Logger.getLogger(TcpConnection.class.getName());
    private static final TcpConnection UNREACHABLE = new TcpConnection(null);
    private static volatile boolean warned;

    private final Object grizzly;

    private TcpConnection(Object grizzly) {
        this.grizzly = grizzly;
    }

    /**
     * The connection of this request, with at most {@code maxUnsentBytes} queued in the server
     * beyond what the kernel took; resolved on the request thread.
     */
    static TcpConnection of(ServletRequest request, int maxUnsentBytes) {
        Object connection = grizzlyConnection(request);
        if (connection == null) {
            return UNREACHABLE;
        }
        try {
            connection.getClass().getMethod("setMaxAsyncWriteQueueSize", int.class).invoke(connection, maxUnsentBytes);
        } catch (ReflectiveOperationException | RuntimeException e) {
            warnOnce("the server's send queue of SSE clients is not bounded: " + e);
        }
        return new TcpConnection(connection);
    }

    /** Closes the connection at once, failing any write blocked on it. */
    void terminate() {
        if (grizzly == null) {
            return;
        }
        try {
            // terminate, not close: a graceful close would wait for the very writes that are stuck.
            grizzly.getClass().getMethod("terminateSilently").invoke(grizzly);
        } catch (ReflectiveOperationException | RuntimeException e) {
            warnOnce("could not close a stalled client's connection: " + e);
        }
    }

    private static Object grizzlyConnection(ServletRequest request) {
        try {
            ServletRequest r = request;
            while (r instanceof ServletRequestWrapper wrapper) {
                r = wrapper.getRequest();
            }
            Object catalina = field(r, "request");
            Object grizzly = catalina.getClass().getMethod("getCoyoteRequest").invoke(catalina);
            Object context = method(grizzly, "getContext").invoke(grizzly);
            return method(context, "getConnection").invoke(context);
        } catch (ReflectiveOperationException | RuntimeException e) {
            warnOnce("stalled SSE clients will be dropped only by Grizzly's write timeout: " + e);
            return null;
        }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException next) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(name + " in " + target.getClass().getName());
    }

    private static Method method(Object target, String name) throws NoSuchMethodException {
        Method m = target.getClass().getMethod(name);
        m.setAccessible(true);
        return m;
    }

    private static void warnOnce(String message) {
        if (!warned) {
            warned = true;
            LOG.warning(message);
        }
    }
}
