package io.tracestream.api;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.logging.Logger;

/**
 * Closes the TCP connection under a request, from any thread.
 *
 * <p>Why: a client that stops reading fills its socket buffer, and the server's next write then
 * blocks inside Grizzly (Payara's HTTP layer) until the client reads again, which may be never.
 * Jersey's {@code SseEventSink.close()} cannot help, because it waits for that same write. Closing
 * the connection itself fails the blocked write at once, so the writer thread is free again.
 * Payara offers no API for this, so the Grizzly connection is reached by reflection through
 * Payara's request objects ({@code RequestFacade} → catalina {@code Request} → Grizzly
 * {@code Request} → {@code FilterChainContext} → {@code Connection}); if that path ever changes,
 * the stream is left to Grizzly's own write timeout and a warning says so once.
 */
final class ConnectionAborter {

    private static final Logger LOG = Logger.getLogger(ConnectionAborter.class.getName());
    private static volatile boolean warned;

    private ConnectionAborter() {}

    /** A handle that closes this request's connection when run; resolved now, on the request thread. */
    static Runnable forRequest(ServletRequest request) {
        Object connection = grizzlyConnection(request);
        if (connection == null) {
            return () -> { };
        }
        return () -> {
            try {
                // terminate, not close: a graceful close would wait for the very writes that are stuck.
                connection.getClass().getMethod("terminateSilently").invoke(connection);
            } catch (ReflectiveOperationException | RuntimeException e) {
                warnOnce("could not close a stalled client's connection: " + e);
            }
        };
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
