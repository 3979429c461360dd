package io.tracestream.auth;

/**
 * The key configuration cannot be used. The message names the source and the entry (its index and
 * name) and what is wrong with it, and never a key or a hash.
 */
public class KeyConfigException extends Exception {

    public KeyConfigException(String message) {
        super(message);
    }
}
