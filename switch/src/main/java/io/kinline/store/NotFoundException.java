package io.kinline.store;

/** The row to change does not exist. */
public class NotFoundException extends StoreException {

    public NotFoundException(String message) {
        super(message);
    }
}
