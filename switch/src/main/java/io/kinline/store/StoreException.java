package io.kinline.store;

/** A storage failure (database error, constraint violation...). Unchecked. */
public class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
