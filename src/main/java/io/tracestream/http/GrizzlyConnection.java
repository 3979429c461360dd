package io.tracestream.http;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.logging.Logger;

/**
 * The TCP connection under a stream request, as Grizzly (Payara's HTTP layer) holds it: how many
 * bytes written to it the kernel has not taken yet, a way to close it from any thread, and word
 * when the client closes it ({@link #onClose}).
 *
 * <p>Why: a write to a client that stops reading does not block in Grizzly; whatever the kernel's
 * socket buffer cannot take is queued on the heap, without limit. So 100 frozen dashboards under a
 * flood of events would exhaust the heap. Knowing what is queued lets a stream hold back its next
 * write instead ({@link io.tracestream.live.StreamClient#unsentBytes}), and a client that stays that far behind is dropped by
 * closing its connection, which also frees what Grizzly had queued for it.
 *
 * <p>Payara offers no API for either, so the Grizzly connection is reached by reflection through
 * Payara's request objects ({@code RequestFacade} → catalina {@code Request} → Grizzly
 * {@code Request} → {@code FilterChainContext} → {@code Connection}); if that path ever changes,
 * streams keep working without the bound and a warning says so once.
 */
final class GrizzlyConnection {

    private static final Logger LOG = Logger.getLogger(GrizzlyConnection.class.getName());
    private static volatile boolean warned;
    /** {@code connection.getAsyncWriteQueue().spaceInBytes()}, looked up once. */
    private static volatile MethodHandle queuedBytes;

    private static final String CLOSE_LISTENER = "org.glassfish.grizzly.CloseListener";
    private static final String IO_EVENT = "org.glassfish.grizzly.IOEvent";

    private final Object grizzly;
    private volatile Object closeListener;

    private GrizzlyConnection(Object grizzly) {
        this.grizzly = grizzly;
    }

    /** The connection of this request; resolved on the request thread. */
    static GrizzlyConnection of(ServletRequest request) {
        return new GrizzlyConnection(grizzlyConnection(request));
    }

    /** A connection that cannot be reached (another server, a test): nothing unsent, nothing to close. */
    static GrizzlyConnection unknown() {
        return new GrizzlyConnection(null);
    }

    /** Bytes written but not yet taken by the kernel; 0 when that cannot be known. */
    int unsentBytes() {
        if (grizzly == null) {
            return 0;
        }
        try {
            MethodHandle handle = queuedBytes;
            if (handle == null) {
                handle = queuedBytesHandle(grizzly.getClass());
                queuedBytes = handle;
            }
            return (int) handle.invoke(grizzly);
        } catch (Throwable e) {
            warnOnce("the server's send queue of SSE clients is not bounded: " + e);
            return 0;
        }
    }

    /**
     * Runs {@code closed} when the connection closes, whoever closes it, and has the connection read
     * again so that a client's close is seen at once ({@link #readUntilClosed}), without waiting for
     * a write to fail. {@link #forgetClose} takes it back once the stream ended, as the connection
     * may carry other requests after it.
     */
    void onClose(Runnable closed) {
        if (grizzly == null) {
            return;
        }
        try {
            Class<?> type = Class.forName(CLOSE_LISTENER, false, grizzly.getClass().getClassLoader());
            Object listener = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                    switch (method.getName()) {
                        case "onClosed" -> {
                            closed.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "stream close listener";
                    });
            grizzly.getClass().getMethod("addCloseListener", type).invoke(grizzly, listener);
            closeListener = listener;
            readUntilClosed();
        } catch (ReflectiveOperationException | RuntimeException e) {
            warnOnce("a client that leaves is noticed only at the next write to it: " + e);
        }
    }

    /**
     * Turns the connection's read interest back on. Why: Grizzly stops reading a connection while
     * one of its requests is being served (its I/O strategy turns read interest off when it hands
     * the request over, and on again when the request completes), and a stream's request is served
     * until the stream ends: the servlet response is suspended ({@code startAsync}), and for a
     * suspended request Grizzly turns nothing back on. So the FIN of a client that closed its
     * stream (a reloaded page) lay unread, and the close listener fired only when a heartbeat's
     * write failed, one or two heartbeats later, holding the key's and the instance's stream slots
     * until then. Reading, the transport reads the end of stream, closes the connection and tells
     * the close listeners (Grizzly's {@code TCPNIOTransport.read}). Neither the servlet API nor
     * Payara offers this: a request without a body has nothing left to read for a
     * {@code ReadListener}, and Payara's {@code AsyncListener} hears nothing of a connection closed
     * under a suspended response (its completion handler ignores Grizzly's cancel).
     *
     * <p>Bytes a client sends on the connection while its stream is open (HTTP/1.1 pipelining,
     * which no browser and no EventSource does) are parsed by Grizzly as a further request and
     * served on the same connection, through the same filters and limits: they can only garble
     * that client's own stream.
     */
    private void readUntilClosed() throws ReflectiveOperationException {
        Class<?> ioEvent = Class.forName(IO_EVENT, false, grizzly.getClass().getClassLoader());
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object read = Enum.valueOf((Class) ioEvent, "READ");
        grizzly.getClass().getMethod("enableIOEvent", ioEvent).invoke(grizzly, read);
    }

    /** Takes back what {@link #onClose} asked. */
    void forgetClose() {
        Object listener = closeListener;
        if (listener == null) {
            return;
        }
        try {
            Class<?> type = Class.forName(CLOSE_LISTENER, false, grizzly.getClass().getClassLoader());
            grizzly.getClass().getMethod("removeCloseListener", type).invoke(grizzly, listener);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the connection is closed already
        }
    }

    /** Closes the connection at once, dropping whatever is queued for it. */
    void terminate() {
        if (grizzly == null) {
            return;
        }
        try {
            // terminate, not close: a graceful close would first send what is queued.
            grizzly.getClass().getMethod("terminateSilently").invoke(grizzly);
        } catch (ReflectiveOperationException | RuntimeException e) {
            warnOnce("could not close a stalled client's connection: " + e);
        }
    }

    private static MethodHandle queuedBytesHandle(Class<?> connectionClass) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Method getQueue = connectionClass.getMethod("getAsyncWriteQueue");
        Method space = getQueue.getReturnType().getMethod("spaceInBytes");
        MethodHandle queue = lookup.unreflect(getQueue);
        MethodHandle bytes = lookup.unreflect(space);
        return MethodHandles.filterReturnValue(queue, bytes).asType(MethodType.methodType(int.class, Object.class));
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
            warnOnce("the server's send queue of SSE clients is not bounded: " + e);
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
