package io.tracestream.web;

import io.tracestream.auth.Access;
import io.tracestream.auth.BrowserSessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.WebApplicationTemplateResolver;
import org.thymeleaf.web.servlet.JakartaServletWebApplication;

/**
 * Renders the Thymeleaf templates under {@code WEB-INF/templates/} into a response (the security
 * headers come from {@link SecurityHeadersFilter}). The engine is built on first use because it needs the servlet
 * context, which CDI does not hand to an application-scoped bean at construction.
 */
@ApplicationScoped
public class PageRenderer {

    @Inject
    BrowserSessions sessions;

    private JakartaServletWebApplication application;
    private TemplateEngine engine;

    public void render(HttpServletRequest request, HttpServletResponse response, int status, String template,
                       Map<String, Object> variables) throws IOException {
        init(request.getServletContext());
        WebContext context = new WebContext(application.buildExchange(request, response), request.getLocale());
        context.setVariables(variables);
        context.setVariable("fmt", Formats.INSTANCE);
        // Who the browser session belongs to, for the top bar's name and sign-out button; null without one.
        context.setVariable("signedInAs", sessions.fromCookie(request).map(Access::name).orElse(null));
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store"); // pages show live data: never reuse a stale one
        engine.process(template, context, response.getWriter());
    }

    private synchronized void init(ServletContext servletContext) {
        if (engine != null) {
            return;
        }
        application = JakartaServletWebApplication.buildApplication(servletContext);
        WebApplicationTemplateResolver resolver = new WebApplicationTemplateResolver(application);
        resolver.setPrefix("/WEB-INF/templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        TemplateEngine built = new TemplateEngine();
        built.setTemplateResolver(resolver);
        engine = built;
    }
}
