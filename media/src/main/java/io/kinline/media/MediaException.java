package io.kinline.media;

/** The media engine could not do what was asked (no free ports, socket failure). */
public class MediaException extends Exception {
    private static final long serialVersionUID = 1L;

    public MediaException(String message) {
        super(message);
    }

    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
