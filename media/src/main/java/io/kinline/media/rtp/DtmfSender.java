package io.kinline.media.rtp;

import io.kinline.media.codec.Codec;
import io.kinline.media.dtmf.Rfc4733;
import io.kinline.media.sdp.SessionDescriptions.Negotiated;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * A digit an endpoint sends: RFC 4733 events when the peer takes telephone-event, else the dual tone
 * in-band. While it sends, it has the line (prompts and relayed audio wait). Loop-confined.
 */
final class DtmfSender {

    private final SendStream out;
    private final byte[] eventPayload = new byte[Rfc4733.LENGTH];

    private int event = -1;
    private long eventTs;
    private int total;
    private int elapsed;
    private int endsLeft;
    private boolean started;
    private short[] tone;
    private int tonePos;

    DtmfSender(SendStream out) {
        this.out = out;
    }

    /** Whether a digit is being sent. */
    boolean active() {
        return event >= 0 || tone != null;
    }

    /** Starts sending {@code digit} for {@code ms}: as {@code rfc4733Event} when {@code asEvent}, else in-band. */
    void start(char digit, int rfc4733Event, int ms, boolean asEvent) {
        if (asEvent) {
            event = rfc4733Event;
            total = ms * 8;
            elapsed = 0;
            endsLeft = 3;
            started = false;
        } else {
            tone = Tones.dtmf(digit, ms, 50);
            tonePos = 0;
        }
    }

    /**
     * One frame time of the digit. {@code send}: the peer may be sent to; if not, an event is abandoned
     * and a tone plays on silently. {@code pcm} and {@code scratch} are the endpoint's frame buffers.
     */
    void tick(Negotiated s, Codec codec, int frameSamples, boolean send, long now, InetSocketAddress to,
            short[] pcm, byte[] scratch) {
        if (event >= 0) {
            if (send) {
                eventTick(s.sendTelephoneEventPt(), frameSamples, now, to);
            } else {
                event = -1;
            }
            return;
        }
        int n = Math.min(frameSamples, tone.length - tonePos);
        Arrays.fill(pcm, 0, frameSamples, (short) 0);
        System.arraycopy(tone, tonePos, pcm, 0, n);
        tonePos += n;
        if (tonePos >= tone.length) {
            tone = null;
        }
        if (send) {
            codec.encode(pcm, 0, scratch, 0, frameSamples);
            out.sendAudio(Source.DTMF, s.sendPayloadType(), scratch, frameSamples, frameSamples, now, to);
        }
    }

    private void eventTick(int pt, int frameSamples, long now, InetSocketAddress to) {
        if (!started) {
            eventTs = out.tsForNewSource(now, frameSamples);
            started = true;
            elapsed = Math.min(frameSamples, total);
            Rfc4733.write(eventPayload, 0, event, false, 10, elapsed);
            out.send(Source.DTMF, pt, eventPayload, Rfc4733.LENGTH, eventTs, true, to);
        } else if (elapsed < total) {
            elapsed = Math.min(elapsed + frameSamples, total);
            Rfc4733.write(eventPayload, 0, event, false, 10, elapsed);
            out.send(Source.DTMF, pt, eventPayload, Rfc4733.LENGTH, eventTs, false, to);
        } else {
            // RFC 4733 2.5.1.4: the final packet is sent three times (same timestamp, new seqs).
            Rfc4733.write(eventPayload, 0, event, true, 10, total);
            out.send(Source.DTMF, pt, eventPayload, Rfc4733.LENGTH, eventTs, false, to);
            if (--endsLeft == 0) {
                event = -1;
            }
        }
        out.advanceTo(eventTs + elapsed, now);
    }
}
