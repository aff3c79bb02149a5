package io.kinline.demo;

import io.kinline.media.MediaEndpoint;
import io.kinline.media.MediaEvent;
import io.kinline.media.MediaException;
import io.kinline.media.SdpException;
import io.kinline.media.prompt.Playlist;
import io.kinline.media.rtp.NettyMediaEngine;
import io.kinline.media.rtp.RtpEndpoint;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * The audio side of a built-in demo phone: one RTP endpoint of Kinline's own media engine, a mouth
 * ({@link #say}, {@link #press}) and ears ({@link Ears}).
 *
 * <p>A real phone sends RTP all the time, silence included; the switch ends a call whose leg has been
 * quiet for the media timeout. So between utterances the phone plays silence (the "filler").
 */
final class Phone implements AutoCloseable {

    /** Filler length; it is restarted when it runs out. */
    private static final int FILLER_MILLIS = 30_000;
    /** RFC 4733 event length, and the pause between two digits (the event plus its end packets). */
    private static final int DIGIT_MILLIS = 120;
    private static final long DIGIT_GAP_MILLIS = 280;

    private final RtpEndpoint endpoint;
    private final Ears ears = new Ears();
    /** One entry per play() issued, in order; null for the filler. The engine raises one PlaybackDone per play. */
    private final Deque<CompletableFuture<Void>> plays = new ArrayDeque<>();
    private volatile boolean closed;

    Phone(NettyMediaEngine engine, String callId, String leg) throws MediaException {
        MediaEndpoint ep = engine.createEndpoint(callId, leg, (e, event) -> onEvent(event));
        this.endpoint = (RtpEndpoint) ep;
        endpoint.listen((from, ts, pcm, off, len) -> ears.hear(pcm, off, len));
    }

    String offer() {
        return endpoint.createOffer();
    }

    void applyAnswer(String sdp) throws SdpException {
        endpoint.applyAnswer(sdp);
    }

    String answer(String offer) throws SdpException {
        return endpoint.answer(offer);
    }

    Ears ears() {
        return ears;
    }

    /** Starts sending (silence) once the session is negotiated. */
    void start() {
        synchronized (plays) {
            if (plays.isEmpty()) {
                playFiller();
            }
        }
    }

    /** Plays a playlist to the peer; completes when it has been played (or was cut short). */
    CompletableFuture<Void> say(Playlist playlist) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (plays) {
            plays.addLast(done);
            endpoint.play(playlist, false);
        }
        return done;
    }

    /** Sends digits as RFC 4733 events, one after the other. Blocks the calling (virtual) thread. */
    void press(String digits) throws InterruptedException {
        for (int i = 0; i < digits.length(); i++) {
            if (closed) {
                return;
            }
            endpoint.sendDtmf(digits.charAt(i), DIGIT_MILLIS);
            Thread.sleep(DIGIT_GAP_MILLIS);
        }
    }

    /** Waits for the playlist to finish, at most {@code bound}. */
    static void await(CompletableFuture<Void> played, Duration bound) throws InterruptedException {
        try {
            played.get(bound.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Cut short or lost: carry on with the script, as a person would.
        }
    }

    private void playFiller() {
        plays.addLast(new CompletableFuture<>());
        endpoint.play(Playlist.in("en").silence(FILLER_MILLIS).build(), false);
    }

    /** On the media event loop: settle one play per PlaybackDone; keep the line alive with silence. */
    private void onEvent(MediaEvent event) {
        if (!(event instanceof MediaEvent.PlaybackDone)) {
            return;
        }
        synchronized (plays) {
            CompletableFuture<Void> done = plays.pollFirst();
            if (done != null) {
                done.complete(null);
            }
            if (plays.isEmpty() && !closed) {
                playFiller();
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        endpoint.close();
        synchronized (plays) {
            plays.forEach(f -> f.complete(null));
            plays.clear();
        }
    }

    /**
     * What the phone hears: whether sound came in lately (prompt start and end by energy and silence),
     * and the 1 kHz beep before "say your name" (Goertzel). Fed on the media event loop; read from the
     * script thread.
     */
    static final class Ears {
        /** Frame RMS above this is sound (prompts are about −20 dBFS; silence is 0). */
        private static final double SOUND_RMS = 300;
        /** Goertzel coefficient for 1000 Hz at 8 kHz: 2·cos(2π·1000/8000). */
        private static final double COEFF_1K = 2 * Math.cos(2 * Math.PI * 1000 / 8000.0);
        /** Consecutive 1 kHz frames that make a beep (the switch's beep is 400 ms). */
        private static final int BEEP_FRAMES = 8;

        private volatile long lastSoundNanos;
        private volatile long soundFrames;
        private volatile long beepAtNanos;
        private int toneRun;

        void hear(short[] pcm, int off, int len) {
            double energy = 0;
            double s1 = 0;
            double s2 = 0;
            for (int i = off; i < off + len; i++) {
                double x = pcm[i];
                energy += x * x;
                double s = x + COEFF_1K * s1 - s2;
                s2 = s1;
                s1 = s;
            }
            if (len == 0) {
                return;
            }
            double rms = Math.sqrt(energy / len);
            if (rms < SOUND_RMS) {
                toneRun = 0;
                return;
            }
            long now = System.nanoTime();
            lastSoundNanos = now;
            soundFrames++;
            // A pure tone puts all its energy in its bin: power ≈ energy·len/2.
            double power = s1 * s1 + s2 * s2 - COEFF_1K * s1 * s2;
            double share = power / (energy * len / 2);
            if (share > 0.6) {
                if (++toneRun == BEEP_FRAMES) {
                    beepAtNanos = now;
                }
            } else {
                toneRun = 0;
            }
        }

        /** A mark for {@link #promptEnded}: only sound heard after it counts. */
        long mark() {
            return soundFrames;
        }

        /** Sound was heard since {@code mark} and has been followed by {@code silence} of quiet. */
        boolean promptEnded(long mark, Duration silence) {
            return soundFrames > mark && System.nanoTime() - lastSoundNanos >= silence.toNanos();
        }

        /** Whether a beep was heard after {@code sinceNanos}. */
        boolean beepSince(long sinceNanos) {
            long b = beepAtNanos;
            return b != 0 && b - sinceNanos > 0;
        }

        /** Quiet for {@code silence} now. */
        boolean quietFor(Duration silence) {
            return System.nanoTime() - lastSoundNanos >= silence.toNanos();
        }
    }
}
