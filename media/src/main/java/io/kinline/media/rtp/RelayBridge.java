package io.kinline.media.rtp;

import io.kinline.media.Bridge;
import io.kinline.media.MediaEndpoint;
import io.kinline.media.MonitorSink;
import io.kinline.media.MonitorTap;
import io.kinline.media.prompt.Playlist;
import io.kinline.media.prompt.Prompt;
import io.kinline.media.prompt.PromptLibrary;
import io.kinline.media.record.RecordingWriter;
import io.kinline.media.record.RecordingFormat;
import io.kinline.media.record.RecordingQuality;
import io.kinline.media.record.StereoRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays two endpoints to each other packet by packet, as packets arrive: no jitter buffer, no
 * re-packetisation. Each endpoint rewrites the relayed packet's header into its own SSRC,
 * sequence and timestamp space in place and sends the same buffer on (payload copied through
 * when codecs match, converted in place by table when they differ).
 *
 * <p>Recording taps the decoded audio each endpoint receives into a {@link StereoRecorder}
 * (left: inmate side, right: called side); announcements are mixed into both directions by the
 * endpoints themselves.
 *
 * <p>Monitoring ({@link #monitor}) uses the same taps: a {@link MonitorMixer} mixes both parties'
 * audio into 20 ms frames for live listeners. Recording and monitoring share one tap per endpoint,
 * installed while either is active.
 */
final class RelayBridge implements Bridge {

    private static final Logger log = LoggerFactory.getLogger(RelayBridge.class);

    private final PromptLibrary prompts;
    private final RecordingWriter writer;
    private final RecordingFormat format;
    private final RtpEndpoint inmate;
    private final RtpEndpoint called;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile StereoRecorder recorder;
    private volatile MonitorMixer mixer;
    private final AudioTap inmateTap = (from, ts, pcm, off, len) -> dispatch(StereoRecorder.INMATE, ts, pcm, off, len);
    private final AudioTap calledTap = (from, ts, pcm, off, len) -> dispatch(StereoRecorder.CALLED, ts, pcm, off, len);

    RelayBridge(PromptLibrary prompts, RecordingWriter writer, RecordingFormat format, RtpEndpoint inmate,
                RtpEndpoint called) {
        this.prompts = prompts;
        this.writer = writer;
        this.format = format;
        this.inmate = inmate;
        this.called = called;
        inmate.relayTo(called, null);
        called.relayTo(inmate, null);
    }

    @Override
    public MediaEndpoint inmateSide() {
        return inmate;
    }

    @Override
    public MediaEndpoint calledSide() {
        return called;
    }

    @Override
    public void announce(Playlist playlist) {
        if (closed.get()) {
            throw new IllegalStateException("bridge closed");
        }
        short[] pcm = concat(prompts.resolve(playlist));
        called.announce(pcm, false);
        inmate.announce(pcm, true);
        MonitorMixer m = mixer;
        if (m != null) {
            m.announce(pcm);
        }
    }

    static short[] concat(List<Prompt> prompts) {
        int n = 0;
        for (Prompt p : prompts) {
            n += p.samples();
        }
        short[] out = new short[n];
        int pos = 0;
        for (Prompt p : prompts) {
            System.arraycopy(p.pcm(), 0, out, pos, p.samples());
            pos += p.samples();
        }
        return out;
    }

    @Override
    public synchronized void startRecording(Path wavFile) {
        if (closed.get()) {
            throw new IllegalStateException("bridge closed");
        }
        if (recorder != null) {
            return;
        }
        StereoRecorder rec;
        try {
            rec = StereoRecorder.open(wavFile, writer, format);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record to " + wavFile, e);
        }
        recorder = rec;
        updateTaps();
        log.debug("[{}] recording to {}", inmate.callId(), wavFile);
    }

    /** On an endpoint's loop: received audio to the recorder and the monitors, whichever are active. */
    private void dispatch(int channel, long ts, short[] pcm, int off, int len) {
        StereoRecorder rec = recorder;
        if (rec != null) {
            rec.append(channel, ts, pcm, off, len);
        }
        MonitorMixer m = mixer;
        if (m != null) {
            m.onAudio(channel, ts, pcm, off, len);
        }
    }

    /** Installs the taps while recording or monitoring, removes them otherwise (decoding costs CPU). */
    private void updateTaps() {
        boolean need = recorder != null || mixer != null;
        inmate.tap(need ? inmateTap : null);
        called.tap(need ? calledTap : null);
    }

    @Override
    public synchronized MonitorTap monitor(MonitorSink sink) {
        java.util.Objects.requireNonNull(sink, "sink");
        if (closed.get()) {
            throw new IllegalStateException("bridge closed");
        }
        MonitorMixer m = mixer;
        if (m == null) {
            m = new MonitorMixer(inmate.eventLoop(), inmate.callId());
            mixer = m;
            updateTaps();
        }
        log.debug("[{}] monitor started", inmate.callId());
        return m.add(sink);
    }

    @Override
    public synchronized void stopRecording() {
        StereoRecorder rec = recorder;
        if (rec == null) {
            return;
        }
        recorder = null;
        updateTaps();
        rec.close();
        // The call record is written next and points at this file: off the event loops, wait until
        // the writer has finished it (bounded, so a stuck disk cannot hold the call's thread forever).
        if (!inmate.eventLoop().inEventLoop() && !called.eventLoop().inEventLoop()) {
            try {
                rec.closeFuture().get(FINALIZE_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                log.warn("[{}] recording not finalized within {} s: {}", inmate.callId(), FINALIZE_WAIT_SECONDS,
                        e.toString());
            }
        }
        lastQuality = rec.quality(); // final if the file is; else the counts so far
    }

    private volatile RecordingQuality lastQuality;

    @Override
    public RecordingQuality recordingQuality() {
        return lastQuality;
    }

    /** How long {@link #stopRecording()} waits for the recording file to be complete. */
    private static final int FINALIZE_WAIT_SECONDS = 10;

    /** The open recorder (for waiting on its close future in tests), or null. */
    public StereoRecorder recorder() {
        return recorder;
    }

    @Override
    public long recordedMillis() {
        StereoRecorder rec = recorder;
        return rec == null ? 0 : rec.recordedMillis();
    }

    @Override
    public void close() {
        synchronized (this) { // a monitor() racing with close() either gets its tap closed here or throws
            if (!closed.compareAndSet(false, true)) {
                return;
            }
        }
        MonitorMixer m = mixer;
        if (m != null) {
            m.close();
        }
        stopRecording();
        inmate.relayTo(null, null);
        called.relayTo(null, null);
        inmate.stopAnnouncement();
        called.stopAnnouncement();
    }
}
