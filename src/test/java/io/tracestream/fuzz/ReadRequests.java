package io.tracestream.fuzz;

import static io.tracestream.fuzz.HostileText.pick;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Requests that exercise every query parameter and header the server reads (grep of the
 * resources, filters and servlets): the list's {@code status}, {@code agent_id}, {@code since},
 * {@code cursor}, {@code limit}; the history's {@code after}, {@code limit}; the stream's
 * {@code last_event_id}, {@code event_type}, {@code agent_id}, {@code summary} and
 * {@code Last-Event-ID}; the pages' {@code status} and {@code agent}; {@code Accept},
 * {@code Content-Type}, {@code Content-Encoding}, {@code X-Trace-ID}, {@code traceparent},
 * {@code Origin} and the preflight's headers; the trace id in every path; methods no route has.
 */
final class ReadRequests {

    /** A request; {@code body} is null for none; {@code TRACE} in the path or body is bound when it is sent. */
    record Request(String method, String path, Map<String, String> headers, byte[] body) {
        @Override
        public String toString() {
            return method + " " + path + " " + headers + (body == null ? "" : " + " + body.length + " bytes");
        }

        boolean isPage() {
            return path.equals("/") || path.startsWith("/?") || path.startsWith("/ui/");
        }
    }

    static final List<String> NUMBERS = List.of("-1", "0", "1", "2", "50", "100", "1000", "1001", "2147483648",
            "99999999999999999999", "1.5", "1e3", "0x10", "", " ", "NaN", "+5", "٣");
    static final List<String> EVENT_IDS = List.of("0-0", "1-0", "1732262445123-0", "18446744073709551615-18446744073709551615",
            "99999999999999999999-1", "1-", "-1", "1-1-1", "abc", "", "0", "$");
    static final List<String> INSTANTS = List.of("2025-01-20T10:30:45Z", "2025-01-20T10:30:45+02:00", "1970-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "2025-13-45T99:99:99Z", "yesterday", "0", "");
    static final List<String> STATUSES = List.of("running", "completed", "failed", "stalled", "RUNNING", "all", "", "unknown");
    static final List<String> ACCEPTS = List.of("application/json", "text/event-stream", "text/html", "*/*",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/problem+json", "image/png",
            "text/event-stream;q=0, application/json;q=0", "", "garbage", "*/*;q=x");
    static final List<String> CONTENT_TYPES = List.of("application/json", "application/x-protobuf", "text/plain",
            "application/json; charset=utf-16", "multipart/form-data; boundary=x", "", "application/json;;;");
    static final List<String> ENCODINGS = List.of("gzip", "identity", "deflate", "br", "gzip, gzip", "x", "");
    static final List<String> TRACEPARENTS = List.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-0000000000000000-00", "ff-x-y-z", "", "00-4bf92f3577b34da6a3ce929d0e0e4736");
    /** TRACE is left out: Payara's HTTP layer refuses it (405, no body) before the application sees it. */
    static final List<String> METHODS = List.of("PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

    private ReadRequests() {}

    /**
     * @param knownTrace a trace with hostile events, so that filters and pages have something to show
     */
    static Request request(Random r, String knownTrace) {
        String id = traceId(r, knownTrace);
        Map<String, String> headers = new LinkedHashMap<>();
        if (r.nextInt(3) > 0) {
            headers.put("Accept", pick(r, ACCEPTS));
        }
        if (r.nextInt(6) == 0) {
            headers.put("Origin", pick(r, List.of("https://evil.example", "null", "http://localhost:8080", headerText(r))));
        }
        int kind = r.nextInt(12);
        if ((kind == 6 || kind == 7) && r.nextInt(4) > 0) {
            // The list page and its JSON render every trace of the run: the costliest requests, kept rarer.
            kind = r.nextInt(6);
        }
        return switch (kind) {
            case 0 -> get("/traces" + query(r, Map.of("status", STATUSES, "agent_id", List.of(), "since", INSTANTS,
                    "cursor", List.of("", "AAAA", "eyJ9", "%%%", "MTIz.NDU2", "x".repeat(300)), "limit", NUMBERS)), headers);
            case 1 -> get("/traces/" + id, headers);
            case 2 -> get("/traces/" + id + "/diagram", headers);
            case 3 -> get("/traces/" + id + "/events" + query(r, Map.of("after", EVENT_IDS, "limit", NUMBERS)), headers);
            case 4 -> {
                if (r.nextBoolean()) {
                    headers.put("Last-Event-ID", r.nextBoolean() ? pick(r, EVENT_IDS) : headerText(r));
                }
                headers.putIfAbsent("Accept", "text/event-stream");
                yield get("/traces/" + id + "/stream" + query(r, Map.of("last_event_id", EVENT_IDS, "event_type",
                        List.of("llm_call", "message,llm_call", ",", ""), "agent_id", List.of(), "summary",
                        List.of("true", "false", "yes", "TRUE", "", "1"))), headers);
            }
            case 5 -> get("/ui/traces/" + id, headers);
            case 6 -> get("/" + query(r, Map.of("status", STATUSES, "agent", List.of())), headers);
            case 7 -> get("/ui/list.json" + query(r, Map.of("status", STATUSES, "agent", List.of())), headers);
            case 8 -> {
                headers.put("Content-Type", pick(r, CONTENT_TYPES));
                if (r.nextBoolean()) {
                    headers.put("X-Trace-ID", r.nextBoolean() ? JsonBodies.TRACE : headerText(r));
                }
                if (r.nextBoolean()) {
                    headers.put("traceparent", r.nextBoolean() ? pick(r, TRACEPARENTS) : headerText(r));
                }
                if (r.nextInt(4) == 0) {
                    headers.put("Content-Encoding", pick(r, ENCODINGS));
                }
                String path = r.nextBoolean() ? "/events" : "/traces/" + JsonBodies.TRACE + "/events";
                yield new Request("POST", path, headers, ("{\"event_type\":\"message\",\"agent_id\":\"a\"}")
                        .getBytes(StandardCharsets.UTF_8));
            }
            case 9 -> {
                headers.put("Content-Type", pick(r, CONTENT_TYPES));
                if (r.nextBoolean()) {
                    headers.put("Content-Encoding", pick(r, ENCODINGS));
                }
                if (r.nextBoolean()) {
                    headers.put("traceparent", r.nextBoolean() ? pick(r, TRACEPARENTS) : headerText(r));
                }
                yield new Request("POST", "/v1/traces", headers, new byte[] {0x0a, 0x00});
            }
            case 10 -> {
                headers.put("Access-Control-Request-Method", pick(r, List.of("POST", "GET", "DELETE", headerText(r))));
                headers.put("Access-Control-Request-Headers", pick(r, List.of("content-type, x-trace-id, traceparent",
                        "authorization", "x", headerText(r))));
                headers.put("Origin", pick(r, List.of("https://evil.example", "null", headerText(r))));
                yield new Request("OPTIONS", pick(r, List.of("/events", "/traces/" + id + "/events", "/v1/traces",
                        "/traces/" + id + "/stream", "/traces")), headers, null);
            }
            default -> {
                String method = pick(r, METHODS);
                if (method.equals("HEAD") && headers.getOrDefault("Accept", "").contains("text/event-stream")) {
                    // HEAD of a stream is answered as its GET: the stream opens and its headers never come
                    // (an open finding, reported with issue 15), so it is not sent here.
                    headers.put("Accept", "application/json");
                }
                yield new Request(method, pick(r, List.of("/events", "/traces/" + id + "/events", "/v1/traces",
                        "/traces/" + id, "/traces", "/ui/traces/" + id, "/")), headers, null);
            }
        };
    }

    private static Request get(String path, Map<String, String> headers) {
        return new Request("GET", path, headers, null);
    }

    /** A trace id for a path: the known one, a valid unknown one, or hostile text (percent-encoded). */
    private static String traceId(Random r, String knownTrace) {
        return switch (r.nextInt(4)) {
            case 0 -> knownTrace;
            case 1 -> "unknown-" + Long.toHexString(r.nextLong());
            case 2 -> encode(HostileText.string(r));
            default -> pick(r, List.of("x".repeat(129), "%20", "..", "%2e%2e", "a%2Fb", "%00", "a;b=c", "%C3%28",
                    "a:b.c_d-e", encode("<script>")));
        };
    }

    private static String query(Random r, Map<String, List<String>> params) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            int pick = r.nextInt(4);
            if (pick == 0) {
                continue;
            }
            String value = pick == 1 || p.getValue().isEmpty() ? HostileText.string(r) : pick(r, p.getValue());
            parts.add(p.getKey() + "=" + encode(value));
            if (r.nextInt(10) == 0) {
                parts.add(p.getKey() + "=" + encode(HostileText.string(r))); // the parameter twice
            }
        }
        if (r.nextInt(10) == 0) {
            parts.add(pick(r, List.of("=", "&", "x", "%25", "%25zz", "a=%C3%28", "limit", "a=%FF")));
        }
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * Hostile text that an HTTP/1.1 header can carry: CR, LF and NUL would end the header (a
     * different request, answered by the HTTP layer before the application), so they and the
     * other controls become spaces; non-ASCII is sent as its UTF-8 bytes' Latin-1 characters.
     */
    static String headerText(Random r) {
        byte[] utf8 = HostileText.string(r).getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length);
        for (byte b : utf8) {
            int c = b & 0xFF;
            out.append(c < 0x20 || c == 0x7F ? ' ' : (char) c);
        }
        return out.toString().strip();
    }
}
