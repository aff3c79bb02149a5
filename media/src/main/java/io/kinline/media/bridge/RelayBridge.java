package io.kinline.media.bridge;

import io.kinline.media.Bridge;
import io.kinline.media.MediaEndpoint;
import io.kinline.media.prompt.Playlist;
import io.kinline.media.prompt.Prompt;
import io.kinline.media.record.StereoRecorder;
import io.kinline.media.rtp.AudioTap;
import io.kinline.media.rtp.NettyMediaEngine;
import io.kinline.media.rtp.RtpEndpoint;
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
 */
public final class RelayBridge implements Bridge {

    private static final Logger log = LoggerFactory.getLogger(RelayBridge.class);

    private final NettyMediaEngine engine;
    private final RtpEndpoint inmate;
    private final RtpEndpoint called;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile StereoRecorder recorder;

    public RelayBridge(NettyMediaEngine engine, RtpEndpoint inmate, RtpEndpoint called) {
        this.engine = engine;
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
        short[] pcm = concat(engine.prompts().resolve(playlist));
        called.announce(pcm, false);
        inmate.announce(pcm, true);
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
            rec = StereoRecorder.open(wavFile, engine.recordingWriter());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record to " + wavFile, e);
        }
        recorder = rec;
        inmate.tap(tapFor(rec, StereoRecorder.INMATE));
        called.tap(tapFor(rec, StereoRecorder.CALLED));
        log.debug("[{}] recording to {}", inmate.callId(), wavFile);
    }

    private static AudioTap tapFor(StereoRecorder rec, int channel) {
        return (from, ts, pcm, off, len) -> rec.append(channel, ts, pcm, off, len);
    }

    @Override
    public synchronized void stopRecording() {
        StereoRecorder rec = recorder;
        if (rec == null) {
            return;
        }
        recorder = null;
        inmate.tap(null);
        called.tap(null);
        rec.close();
    }

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
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopRecording();
        inmate.relayTo(null, null);
        called.relayTo(null, null);
        inmate.stopAnnouncement();
        called.stopAnnouncement();
    }
}
