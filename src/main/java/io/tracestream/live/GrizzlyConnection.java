package io.tracestream.live;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.logging.Logger;

/**
 * The TCP connection under a stream request, as Grizzly (Payara's HTTP layer) holds it: how many
 * bytes written to it the kernel has not taken yet, and a way to close it from any thread.
 *
 * <p>Why: a write to a client that stops reading does not block in Grizzly; whatever the kernel's
 * socket buffer cannot take is queued on the heap, without limit. So 100 frozen dashboards under a
 * flood of events would exhaust the heap. Knowing what is queued lets a stream hold back its next
 * write instead ({@link SseChannel}), and a client that stays that far behind is dropped by
 * closing its connection, which also frees what Grizzly had queued for it.
 *
 * <p>Payara offers no API for either, so the Grizzly connection is reached by reflection through
 * Payara's request objects ({@code RequestFacade} → catalina {@code Request} → Grizzly
 * {@code Request} → {@code FilterChainContext} → {@code Connection}); if that path ever changes,
 * streams keep working without the bound and a warning says so once.
 */
public final class GrizzlyConnection implements ClientConnection {

    private static final Logger LOG = Logger.getLogger(GrizzlyConnection.class.getName());
    private static volatile boolean warned;
    /** {@code connection.getAsyncWriteQueue().spaceInBytes()}, looked up once. */
    private static volatile MethodHandle queuedBytes;

    private final Object grizzly;
    private final OutputStream output;

    private GrizzlyConnection(Object grizzly, OutputStream output) {
        this.grizzly = grizzly;
        this.output = output;
    }

    /** The connection of this request and its response's output; resolved on the request thread. */
    public static ClientConnection of(ServletRequest request, ServletResponse response) {
        return new GrizzlyConnection(grizzlyConnection(request), outputOf(response));
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public int unsentBytes() {
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

    @Override
    public void terminate() {
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

    /** Resolved now: a JAX-RS context proxy would look the response up on a thread that has none. */
    private static OutputStream outputOf(ServletResponse response) {
        try {
            return response == null ? null : response.getOutputStream();
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> "Frames go through the event sink: no servlet output: " + e);
            return null;
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
