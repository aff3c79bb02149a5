package io.kinline.media.dtmf;

/**
 * The RFC 4733 telephone-event payload: event (8 bits), E (end), R, volume (6 bits), duration (16 bits).
 */
public final class Rfc4733 {

    /** Payload length in bytes. */
    public static final int LENGTH = 4;
    /** Event code of a hook flash. */
    public static final int EVENT_FLASH = 16;

    private static final String DIGITS = "0123456789*#ABCD";

    private Rfc4733() {
    }

    /** The event code for a DTMF symbol, or -1. */
    public static int eventFor(char digit) {
        return DIGITS.indexOf(Character.toUpperCase(digit));
    }

    /** The DTMF symbol for an event code 0-15, or 0 for any other event. */
    public static char digitFor(int event) {
        return event >= 0 && event < 16 ? DIGITS.charAt(event) : 0;
    }

    public static int event(byte[] p, int off) {
        return p[off] & 0xFF;
    }

    public static boolean end(byte[] p, int off) {
        return (p[off + 1] & 0x80) != 0;
    }

    public static int volume(byte[] p, int off) {
        return p[off + 1] & 0x3F;
    }

    public static int duration(byte[] p, int off) {
        return ((p[off + 2] & 0xFF) << 8) | (p[off + 3] & 0xFF);
    }

    /** Writes one event payload; returns {@link #LENGTH}. */
    public static int write(byte[] p, int off, int event, boolean end, int volume, int duration) {
        p[off] = (byte) event;
        p[off + 1] = (byte) ((end ? 0x80 : 0) | (volume & 0x3F));
        p[off + 2] = (byte) (duration >>> 8);
        p[off + 3] = (byte) duration;
        return LENGTH;
    }
}
