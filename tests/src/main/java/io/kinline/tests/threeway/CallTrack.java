package io.kinline.tests.threeway;

import java.util.ArrayList;
import java.util.List;

/**
 * One clip of the called party's side while it is being composed: what the handset sends (the called
 * party's own voice and keys; the ambient room, television, music and the echo of the inmate), the
 * hook-switch clicks, what the network adds past the called line (tones, a third party), and the
 * stretches where the called party's line is on hook or the inmate is held. {@link Line#render} turns
 * it into G.711.
 */
final class CallTrack {

    final float[] voice;
    final float[] ambient;
    final float[] clicks;
    final float[] network;
    /** Gain on the room noise the handset picks up: 1, except where the handset lies on a table. */
    final float[] roomGain;
    private final List<int[]> onHook = new ArrayList<>();
    private int hookCursor;

    CallTrack(int samples) {
        voice = new float[samples];
        ambient = new float[samples];
        clicks = new float[samples];
        network = new float[samples];
        roomGain = new float[samples];
        java.util.Arrays.fill(roomGain, 1f);
    }

    int length() {
        return voice.length;
    }

    /** The called party's handset sends nothing over [from, to): on hook, or the inmate is held. */
    void hold(int from, int to) {
        onHook.add(new int[] {Math.max(0, from), Math.min(length(), to)});
        onHook.sort((a, b) -> Integer.compare(a[0], b[0]));
    }

    /** For increasing {@code i} (rendering): is the line on hook at sample {@code i}? */
    boolean onHook(int i) {
        if (i == 0) {
            hookCursor = 0;
        }
        while (hookCursor < onHook.size() && onHook.get(hookCursor)[1] <= i) {
            hookCursor++;
        }
        return hookCursor < onHook.size() && onHook.get(hookCursor)[0] <= i;
    }

    /** Where the called party's own voice (or keys) sound, with a hangover: what a noise suppressor lets through. */
    boolean[] voiceActivity(int hangover) {
        boolean[] a = new boolean[length()];
        int last = -hangover - 1;
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(voice[i]) > 30) {
                last = i;
            }
            a[i] = i - last <= hangover;
        }
        for (int i = a.length - 1, next = Integer.MAX_VALUE / 2; i >= 0; i--) { // a little look-ahead too
            if (Math.abs(voice[i]) > 30) {
                next = i;
            }
            a[i] |= next - i <= hangover / 3;
        }
        return a;
    }
}
