package io.tracestream.web;

import jakarta.enterprise.context.ApplicationScoped;
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
 * Renders the Thymeleaf templates under {@code WEB-INF/templates/} into a response, with the
 * headers every page carries. The engine is built on first use because it needs the servlet
 * context, which CDI does not hand to an application-scoped bean at construction.
 */
@ApplicationScoped
public class PageRenderer {

    /**
     * Scripts only from this server (no inline script, no eval), so text that slipped into the
     * page as markup still could not run. Styles allow inline: bar positions and Mermaid's SVG.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private JakartaServletWebApplication application;
    private TemplateEngine engine;

    public void render(HttpServletRequest request, HttpServletResponse response, int status, String template,
                       Map<String, Object> variables) throws IOException {
        init(request.getServletContext());
        WebContext context = new WebContext(application.buildExchange(request, response), request.getLocale());
        context.setVariables(variables);
        context.setVariable("fmt", Formats.INSTANCE);
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        securityHeaders(response);
        response.setHeader("Cache-Control", "no-store"); // pages show live data: never reuse a stale one
        engine.process(template, context, response.getWriter());
    }

    static void securityHeaders(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
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
