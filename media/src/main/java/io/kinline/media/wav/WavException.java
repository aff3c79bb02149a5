package io.kinline.media.wav;

import java.io.IOException;

/** A WAV file Kinline cannot read; the message says why in words a technician understands. */
public class WavException extends IOException {
    private static final long serialVersionUID = 1L;

    public WavException(String message) {
        super(message);
    }
}
