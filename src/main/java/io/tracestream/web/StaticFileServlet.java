package io.tracestream.web;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.util.Map;

/**
 * Serves the dashboard's scripts, styles and Mermaid from the WAR. Needed because the JAX-RS
 * application is mapped at {@code /*}, which wins over the container's default servlet: this
 * more specific mapping wins over {@code /*} in turn.
 */
@WebServlet(name = "dashboard-static", urlPatterns = "/static/*")
public class StaticFileServlet extends HttpServlet {

    @Inject
    PageErrors errors;

    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript;charset=UTF-8",
            "css", "text/css;charset=UTF-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "txt", "text/plain;charset=UTF-8");

    /** Vendored files carry their version in the path, so browsers may keep them for a year. */
    private static final String VENDOR = "/vendor/";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        String type = path == null ? null : TYPES.get(path.substring(path.lastIndexOf('.') + 1));
        if (type == null || path.contains("..") || path.contains("//") || path.contains("\\")) {
            notFound(request, response, path);
            return;
        }
        URL resource = getServletContext().getResource("/static" + path);
        if (resource == null) {
            notFound(request, response, path);
            return;
        }
        URLConnection connection = resource.openConnection();
        long modified = connection.getLastModified();
        String etag = "\"" + Long.toHexString(modified) + "-" + Long.toHexString(connection.getContentLengthLong()) + "\"";
        response.setHeader("ETag", etag);
        response.setHeader("X-Content-Type-Options", "nosniff");
        // Scripts change with each release: revalidate (a cheap 304) rather than run an old one.
        response.setHeader("Cache-Control", path.startsWith(VENDOR) ? "public, max-age=31536000, immutable" : "no-cache");
        if (etag.equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(type);
        long length = connection.getContentLengthLong();
        if (length >= 0) {
            response.setContentLengthLong(length);
        }
        try (InputStream in = connection.getInputStream()) {
            in.transferTo(response.getOutputStream());
        }
    }

    private void notFound(HttpServletRequest request, HttpServletResponse response, String path) throws IOException {
        errors.send(request, response, HttpServletResponse.SC_NOT_FOUND, "not-found", "Not found",
                "No such file: /static" + (path == null ? "" : path));
    }
}
