package io.kinline.store;

/** The change conflicts with existing data (duplicate id, PIN already used in the facility...). */
public class ConflictException extends StoreException {

    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
