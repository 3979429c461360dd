package io.tracestream.store;

/** The store could not be reached or did not answer in time; nothing was stored. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
