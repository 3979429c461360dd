package io.tracestream.http;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.EnumSet;

/**
 * The request pipeline: every filter of the application, in the order a request passes them.
 * Why registered here rather than by {@code @WebFilter}: the servlet specification leaves the order
 * of annotated filters undefined, and this order is the design: headers first, so every answer
 * carries them, refusals included; {@code OPTIONS} answered from the route table, without a key;
 * access before anything reads or stores; the JSON ingest endpoint after access; the gate of stream
 * opens last, right before the resources. And, once at start, the reason phrases Grizzly lacks
 * ({@link ReasonPhrases}).
 */
@WebListener
public class EdgeFilters implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        ReasonPhrases.register(context.getClass().getClassLoader());
        EnumSet<DispatcherType> request = EnumSet.of(DispatcherType.REQUEST);
        // On the error page too: an error the container refused before any filter ran (ContainerErrorPage).
        add(context, "security-headers", SecurityHeadersFilter.class,
                EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), "/*");
        add(context, "container-errors", ContainerErrorsAsProblems.class, request, "/*");
        add(context, "options", OptionsFilter.class, request, "/*");
        add(context, "access", AccessFilter.class, request, "/*");
        add(context, "cross-site-actions", CrossSiteFilter.class, request, Route.DEMO, Route.SIGN_IN, Route.SIGN_OUT);
        add(context, "dashboard-methods", PageMethodFilter.class, request, "", "/ui/*", Route.STATIC + "*");
        add(context, "json-ingest", JsonEventsEndpoint.class, request, Route.EVENTS, "/traces/*");
        // A parked open goes on by an asynchronous dispatch, which passes only the filters mapped for it.
        add(context, "stream-open-gate", StreamOpenGate.class, EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), "/*");
    }

    private static void add(ServletContext context, String name, Class<? extends Filter> filter,
                            EnumSet<DispatcherType> dispatches, String... paths) {
        FilterRegistration.Dynamic registration = context.addFilter(name, filter);
        registration.setAsyncSupported(true); // streams are asynchronous, and every filter they pass must allow it
        registration.addMappingForUrlPatterns(dispatches, true, paths);
    }
}
