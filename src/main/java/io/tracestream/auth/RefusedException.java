package io.tracestream.auth;

/** Ends a request with a {@link Refusal}; thrown where it is found, such as inside the ingest of a batch. */
public class RefusedException extends RuntimeException {

    private final transient Refusal refusal;

    public RefusedException(Refusal refusal) {
        super(refusal.detail(), null, false, false);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
