package io.tracestream.store;

import java.util.List;

/** The ids assigned by an append, in request order, and how many events were new (not duplicates). */
public record AppendResult(List<String> ids, int stored) {}
