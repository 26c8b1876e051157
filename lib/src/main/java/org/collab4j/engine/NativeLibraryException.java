package org.collab4j.engine;

/**
 * Thrown when the PyTorch natives cannot be found or loaded. The message says which Maven dependency to add or
 * what the host lacks; the cause keeps DJL's original error.
 */
public class NativeLibraryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do about it
     * @param cause DJL's original error
     */
    public NativeLibraryException(String message, Throwable cause) {
        super(message, cause);
    }
}
