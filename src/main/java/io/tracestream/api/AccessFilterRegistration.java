package io.tracestream.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.EnumSet;

/**
 * Puts {@link AccessFilter} in front of every other filter. Why not {@code @WebFilter}: the
 * servlet specification leaves the order of annotated filters undefined, and the access check
 * must run before {@link IngestFilter} stores anything; a mapping added here with
 * {@code isMatchAfter=false} comes before every declared one. {@link StreamOpenGate} is added here
 * too, after every declared filter.
 */
@WebListener
public class AccessFilterRegistration implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        FilterRegistration.Dynamic filter = event.getServletContext().addFilter("access", AccessFilter.class);
        filter.setAsyncSupported(true); // streams are asynchronous, and every filter they pass must allow it
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        // And the gate of stream opens after every declared filter, right before the resources: a
        // parked open goes on by an asynchronous dispatch, which passes only the filters mapped for it.
        FilterRegistration.Dynamic gate = event.getServletContext().addFilter("stream-open-gate", StreamOpenGate.class);
        gate.setAsyncSupported(true);
        gate.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), true, "/*");
    }
}
