package io.kinline.media.dtmf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DtmfReceiverTest {

    private final List<String> out = new ArrayList<>();
    private final DtmfReceiver.Listener listener = new DtmfReceiver.Listener() {
        @Override
        public void onDigit(char digit, DigitSource source, long rtpTimestamp) {
            out.add(digit + ":" + source + ":" + rtpTimestamp);
        }

        @Override
        public void onHookFlash(long rtpTimestamp) {
            out.add("flash:" + rtpTimestamp);
        }
    };

    private static void send(DtmfReceiver r, char digit, long ts, int duration, boolean end, boolean marker) {
        byte[] p = new byte[Rfc4733.LENGTH];
        Rfc4733.write(p, 0, digit == 'F' ? Rfc4733.EVENT_FLASH : Rfc4733.eventFor(digit), end, 10, duration);
        r.onTelephoneEvent(p, 0, p.length, ts, marker);
    }

    /** A complete event as a typical gateway sends it: start, updates every 20 ms, three end packets. */
    private static void press(DtmfReceiver r, char digit, long ts, int durationSamples) {
        send(r, digit, ts, 160, false, true);
        for (int d = 320; d < durationSamples; d += 160) {
            send(r, digit, ts, d, false, false);
        }
        for (int i = 0; i < 3; i++) {
            send(r, digit, ts, durationSamples, true, false);
        }
    }

    @Test
    void oneDigitPerEventDespiteUpdatesAndRedundantEnds() {
        DtmfReceiver r = new DtmfReceiver(listener, false);
        press(r, '5', 1000, 800);
        assertEquals(List.of("5:RFC4733:1000"), out);
    }

    @Test
    void repeatedPacketsCountOnce() {
        DtmfReceiver r = new DtmfReceiver(listener, false);
        for (int i = 0; i < 4; i++) {
            send(r, '1', 5000, 160, false, true);
        }
        send(r, '1', 5000, 320, false, false);
        send(r, '1', 5000, 320, false, false);
        assertEquals(List.of("1:RFC4733:5000"), out);
    }

    @Test
    void lostStartStillGivesOneDigit() {
        DtmfReceiver r = new DtmfReceiver(listener, false);
        send(r, '9', 2000, 480, false, false);
        send(r, '9', 2000, 640, false, false);
        send(r, '9', 2000, 800, true, false);
        send(r, '9', 2000, 800, true, false);
        assertEquals(List.of("9:RFC4733:2000"), out);
    }

    @Test
    void onlyEndPacketsGiveOneDigit() {
        DtmfReceiver r = new DtmfReceiver(listener, false);
        for (int i = 0; i < 3; i++) {
            send(r, '#', 7000, 800, true, false);
        }
        assertEquals(List.of("#:RFC4733:7000"), out);
    }

    @Test
    void sameDigitTwiceWithDifferentTimestampsIsTwoDigits() {
        DtmfReceiver r = new DtmfReceiver(listener, false);
        press(r, '3', 1000, 800);
        press(r, '3', 2600, 800);
        assertEquals(List.of("3:RFC4733:1000", "3:RFC4733:2600"), out);
    }

    @Test
    void replayOfOldTimestampsIgnored() {
        DtmfReceiver r = new DtmfReceiver(listener, false);
        press(r, '1', 1000, 800);
        press(r, '2', 3000, 800);
        // The same capture played again: same SSRC, same timestamps.
        press(r, '1', 1000, 800);
        press(r, '2', 3000, 800);
        assertEquals(List.of("1:RFC4733:1000", "2:RFC4733:3000"), out);
    }

    @Test
    void newSsrcResetsState() {
        DtmfReceiver r = new DtmfReceiver(listener, false);
        byte[] p = new byte[4];
        Rfc4733.write(p, 0, 4, true, 10, 800);
        r.onTelephoneEvent(p, 0, 4, 1000, true, 0x1234);
        r.onTelephoneEvent(p, 0, 4, 1000, true, 0x1234);
        r.onTelephoneEvent(p, 0, 4, 1000, true, 0x9999); // new call reusing the timestamp
        assertEquals(List.of("4:RFC4733:1000", "4:RFC4733:1000"), out);
    }

    @Test
    void timestampWrapIsNotAReplay() {
        DtmfReceiver r = new DtmfReceiver(listener, false);
        press(r, '7', 0xFFFFF000L, 800);
        press(r, '8', 0x00000200L, 800);
        assertEquals(List.of("7:RFC4733:" + 0xFFFFF000L, "8:RFC4733:512"), out);
    }

    @Test
    void hookFlash() {
        DtmfReceiver r = new DtmfReceiver(listener, false);
        press(r, 'F', 4000, 1600);
        assertEquals(List.of("flash:4000"), out);
    }

    @Test
    void longEventSegmentsAreOneDigit() {
        DtmfReceiver r = new DtmfReceiver(listener, false);
        send(r, '0', 1000, 160, false, true);
        send(r, '0', 1000, 0xFFFF, false, false);
        send(r, '0', 1000 + 0xFFFF, 160, false, false); // next segment, no marker
        send(r, '0', 1000 + 0xFFFF, 800, true, false);
        assertEquals(List.of("0:RFC4733:1000"), out);
    }

    @Test
    void malformedPayloadIgnored() {
        DtmfReceiver r = new DtmfReceiver(listener, false);
        r.onTelephoneEvent(new byte[3], 0, 3, 1000, true);
        assertEquals(List.of(), out);
    }

    // ------------------------------------------------------------------ in-band

    /** Feeds audio to the receiver in 20 ms packets from RTP timestamp {@code ts0}. */
    private static void feed(DtmfReceiver r, short[] pcm, long ts0) {
        for (int i = 0; i + 160 <= pcm.length; i += 160) {
            r.onAudio(pcm, i, 160, ts0 + i);
        }
    }

    @Test
    void inbandDigitsReportedWithTimestamps() {
        DtmfReceiver r = new DtmfReceiver(listener, true);
        short[] pcm = new Signals(1).silence(100).tone('6', 80).silence(100).tone('6', 80).silence(200).build();
        feed(r, pcm, 10_000);
        assertEquals(2, out.size(), out.toString());
        assertEquals("6:INBAND", out.get(0).substring(0, 8));
        long ts = Long.parseLong(out.get(0).substring(9));
        assertEquals(10_800, ts, 40);
    }

    @Test
    void inbandOffIgnoresAudio() {
        DtmfReceiver r = new DtmfReceiver(listener, false);
        feed(r, new Signals(1).silence(100).tone('6', 80).silence(200).build(), 0);
        assertEquals(List.of(), out);
    }

    @Test
    void digitSentAsEventAndInbandCountsOnce() {
        DtmfReceiver r = new DtmfReceiver(listener, true);
        // Tone at samples 800..1600 (ts 10800..11600); the gateway also sends events for it.
        short[] pcm = new Signals(2).silence(100).tone('2', 100).silence(300).build();
        long ts0 = 10_000;
        for (int i = 0; i + 160 <= pcm.length; i += 160) {
            long ts = ts0 + i;
            if (ts == 10_800) {
                send(r, '2', ts, 160, false, true);
            } else if (ts > 10_800 && ts < 11_600) {
                send(r, '2', 10_800, (int) (ts - 10_800), false, false);
            } else if (ts == 11_600) {
                for (int k = 0; k < 3; k++) {
                    send(r, '2', 10_800, 800, true, false);
                }
            }
            r.onAudio(pcm, i, 160, ts);
        }
        r.flush();
        assertEquals(List.of("2:RFC4733:10800"), out);
    }

    @Test
    void eventArrivingAfterInbandDetectionIsNotCountedAgain() {
        DtmfReceiver r = new DtmfReceiver(listener, true);
        short[] pcm = new Signals(3).silence(100).tone('8', 100).silence(300).build();
        feed(r, pcm, 0); // in-band detection first (no events seen yet on this stream)
        for (int k = 0; k < 3; k++) {
            send(r, '8', 800, 800, true, false); // only the end packets, late
        }
        assertEquals(1, out.size(), out.toString());
        assertEquals("8:INBAND", out.get(0).substring(0, 8));
    }

    @Test
    void inbandStillWorksOnStreamWithEventsForOtherPresses() {
        DtmfReceiver r = new DtmfReceiver(listener, true);
        press(r, '1', 0, 800);
        // Later a key press reaches us only as tones (e.g. the gateway fell back to in-band).
        short[] pcm = new Signals(4).silence(500).tone('4', 100).silence(400).build();
        feed(r, pcm, 8000);
        assertEquals(List.of("1:RFC4733:0", "4:INBAND:" + (8000 + 4000)), normalizeInband(out, 40));
    }

    /** Rounds in-band timestamps to the expected value when within tolerance (the detector's 5 ms step). */
    private static List<String> normalizeInband(List<String> in, int tol) {
        List<String> res = new ArrayList<>();
        for (String s : in) {
            if (s.contains(":INBAND:")) {
                long ts = Long.parseLong(s.substring(s.lastIndexOf(':') + 1));
                long rounded = Math.round(ts / 4000.0) * 4000;
                res.add(Math.abs(rounded - ts) <= tol ? s.substring(0, s.lastIndexOf(':') + 1) + rounded : s);
            } else {
                res.add(s);
            }
        }
        return res;
    }
}
