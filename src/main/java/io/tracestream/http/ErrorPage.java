package io.tracestream.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * An error on a dashboard path, answered the dashboard's way: a page for a browser, the problem
 * document ({@link Problems}) for anything else. The dashboard implements it; the edge's filters
 * that guard the dashboard's paths answer through it.
 */
public interface ErrorPage {

    void send(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException;
}
