package io.tracestream.web;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The few parts of a servlet request and response that filters use, for tests without a server:
 * a request of a method, path and headers; a response that records status, headers and body.
 */
public final class ServletStubs {

    /** What a filter answered. */
    public static final class Answer {
        public int status = 200;
        public final Map<String, String> headers = new LinkedHashMap<>();
        public final ByteArrayOutputStream body = new ByteArrayOutputStream();
        public boolean committed;
        PrintWriter writer;

        public String body() {
            if (writer != null) {
                writer.flush();
            }
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    private ServletStubs() {}

    public static HttpServletRequest request(String method, String servletPath, Map<String, String> headers) {
        Map<String, Object> attributes = new HashMap<>();
        return (HttpServletRequest) Proxy.newProxyInstance(ServletStubs.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getServletPath" -> servletPath;
                    case "getPathInfo" -> null;
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    default -> throw new UnsupportedOperationException("request." + m.getName());
                });
    }

    public static HttpServletResponse response(Answer answer) {
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(int b) {
                answer.body.write(b);
            }
        };
        PrintWriter writer = new PrintWriter(answer.body, true, StandardCharsets.UTF_8);
        answer.writer = writer;
        return (HttpServletResponse) Proxy.newProxyInstance(ServletStubs.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus" -> answer.status = (int) args[0];
                        case "setHeader" -> answer.headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> answer.headers.put("Content-Type", (String) args[0]);
                        case "setContentLength" -> answer.headers.put("Content-Length", args[0].toString());
                        case "getOutputStream" -> {
                            return out;
                        }
                        case "getWriter" -> {
                            return writer;
                        }
                        case "isCommitted" -> {
                            return answer.committed;
                        }
                        case "resetBuffer", "flushBuffer" -> writer.flush();
                        case "getStatus" -> {
                            return answer.status;
                        }
                        default -> throw new UnsupportedOperationException("response." + m.getName());
                    }
                    return null;
                });
    }
}
