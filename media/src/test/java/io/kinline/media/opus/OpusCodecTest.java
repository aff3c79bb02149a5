package io.kinline.media.opus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Opus to and from 8 kHz: what a browser sends, what we send, loss, and garbage. */
class OpusCodecTest {

    /** A browser's encoder: fullband stereo at 48 kHz, 20 ms frames, as Chrome sends by default. */
    private static byte[][] browserStream(int frames, double... hz) throws Exception {
        OpusEncoder enc = new OpusEncoder(48_000, 2, OpusApplication.OPUS_APPLICATION_AUDIO);
        enc.setBitrate(64_000);
        byte[][] packets = new byte[frames][];
        for (int f = 0; f < frames; f++) {
            short[] mono = Tone.sines(48_000, 960, f * 960L, 6000, hz);
            short[] stereo = new short[1920];
            for (int i = 0; i < 960; i++) {
                stereo[2 * i] = mono[i];
                stereo[2 * i + 1] = mono[i];
            }
            byte[] out = new byte[1500];
            int n = enc.encode(stereo, 0, 960, out, 0, out.length);
            packets[f] = java.util.Arrays.copyOf(out, n);
        }
        return packets;
    }

    private static short[] decodeAll(OpusCodec codec, byte[][] packets) {
        short[] pcm = new short[packets.length * 160];
        for (int f = 0; f < packets.length; f++) {
            assertEquals(160, codec.decode(packets[f], 0, packets[f].length, pcm, f * 160), "frame " + f);
        }
        return pcm;
    }

    @ParameterizedTest
    @EnumSource(OpusCodec.Resampling.class)
    void decodesABrowsersStereoFullbandStreamTo8kHzWithoutAliasing(OpusCodec.Resampling r) throws Exception {
        // 1 kHz belongs in the call; 5 kHz does not, and decimated naively it would fold to 3 kHz.
        short[] pcm = decodeAll(new OpusCodec(r, OpusCodec.DEFAULT_BITRATE), browserStream(50, 1000, 5000));
        double wanted = Tone.amplitudeAt(pcm, 1600, 8000, 8000, 1000);
        double alias = Tone.amplitudeAt(pcm, 1600, 8000, 8000, 3000);
        assertEquals(6000, wanted, 6000 * 0.25, "1 kHz comes through at about its level");
        assertTrue(Tone.db(alias / wanted) < -40, r + ": the 5 kHz tone folded to 3 kHz at " + Tone.db(alias / wanted) + " dB");
    }

    @ParameterizedTest
    @EnumSource(OpusCodec.Resampling.class)
    void whatWeEncodeDecodesBackToTheSameTone(OpusCodec.Resampling r) {
        OpusCodec tx = new OpusCodec(r, OpusCodec.DEFAULT_BITRATE);
        OpusCodec rx = new OpusCodec(r, OpusCodec.DEFAULT_BITRATE);
        short[] out = new short[50 * 160];
        int bytes = 0;
        for (int f = 0; f < 50; f++) {
            short[] in = Tone.sines(8000, 160, f * 160L, 8000, 800);
            byte[] payload = new byte[400];
            int n = tx.encode(in, 0, 160, payload, 0, payload.length);
            bytes += n;
            assertEquals(160, rx.decode(payload, 0, n, out, f * 160));
        }
        double a = Tone.amplitudeAt(out, 1600, 8000, 8000, 800);
        assertEquals(8000, a, 8000 * 0.25, "800 Hz round trip level");
        double rest = Math.sqrt(Math.max(0, Math.pow(Tone.rms(out, 1600, 8000), 2) - a * a / 2));
        assertTrue(Tone.db(rest / (a / Math.sqrt(2))) < -15, "the round trip is mostly the tone");
        assertTrue(bytes / 50 < 60, "about 16 kbit/s: " + bytes / 50 + " bytes a frame");
    }

    @Test
    void theSwitchSendsNarrowbandCeltThatKeepsTheWaveform() {
        OpusCodec tx = new OpusCodec(); // what a tablet receives from the switch
        OpusCodec browser = new OpusCodec(OpusCodec.Resampling.OPUS_INTERNAL, OpusCodec.Encoding.SPEECH);
        short[] in = new short[50 * 160];
        short[] out = new short[50 * 160];
        int bytes = 0;
        for (int f = 0; f < 50; f++) {
            short[] frame = Tone.sines(8000, 160, f * 160L, 6000, 440, 1400);
            System.arraycopy(frame, 0, in, f * 160, 160);
            byte[] payload = new byte[400];
            int n = tx.encode(frame, 0, 160, payload, 0, payload.length);
            bytes += n;
            // RFC 6716 §3.1: TOC configs 16..19 are CELT-only narrowband, 19 the 20 ms frame
            assertEquals(19, (payload[0] & 0xFF) >> 3, "frame " + f + ": CELT-only narrowband 20 ms");
            assertEquals(160, browser.decode(payload, 0, n, out, f * 160));
        }
        assertTrue(bytes / 50 >= 50 && bytes / 50 <= 70, "about 24 kbit/s: " + bytes / 50 + " bytes a frame");
        // Waveform SNR after the codec's delay, over the last 40 frames (SILK's speech model scores ~6 dB).
        double best = Double.NEGATIVE_INFINITY;
        for (int lag = 0; lag < 200; lag++) {
            double sig = 0;
            double noise = 0;
            for (int i = 1600; i < in.length - 200; i++) {
                double d = in[i] - out[i + lag];
                sig += (double) in[i] * in[i];
                noise += d * d;
            }
            best = Math.max(best, 10 * Math.log10(sig / noise));
        }
        assertTrue(best > 15, "waveform SNR " + best + " dB");
    }

    @Test
    void concealsALostPacketWithSoundNotSilenceAndRecovers() throws Exception {
        OpusCodec codec = new OpusCodec();
        byte[][] stream = browserStream(30, 600);
        short[] pcm = new short[160];
        for (int f = 0; f < 20; f++) {
            codec.decode(stream[f], 0, stream[f].length, pcm, 0);
        }
        double before = Tone.rms(pcm, 0, 160);
        assertEquals(160, codec.conceal(pcm, 0, 160));
        double concealed = Tone.rms(pcm, 0, 160);
        assertTrue(concealed > before * 0.3, "PLC continues the sound: " + concealed + " vs " + before);
        assertTrue(Tone.amplitudeAt(pcm, 0, 160, 8000, 600) > 0.3 * before * Math.sqrt(2), "at the same pitch");
        for (int i = 0; i < 10; i++) {
            codec.conceal(pcm, 0, 160);
        }
        assertTrue(Tone.rms(pcm, 0, 160) < concealed * 0.5, "a long loss fades out rather than buzzing on");
        assertEquals(160, codec.decode(stream[29], 0, stream[29].length, pcm, 0));
    }

    @Test
    void garbagePayloadsAreRefusedQuietly() {
        OpusCodec codec = new OpusCodec();
        Random r = new Random(7587);
        short[] pcm = new short[960];
        int refused = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] p = new byte[1 + r.nextInt(200)];
            r.nextBytes(p);
            int n = codec.decode(p, 0, p.length, pcm, 0);
            assertTrue(n == -1 || (n > 0 && n <= 960), "decoded " + n);
            refused += n < 0 ? 1 : 0;
        }
        assertTrue(refused > 0, "some random payloads are not Opus");
        assertEquals(refused, codec.invalidPackets());
        assertEquals(-1, codec.decode(new byte[0], 0, 0, pcm, 0));
        assertEquals(-1, codec.decode(new byte[4000], 0, 4000, pcm, 0));
        assertEquals(48_000, codec.rtpClockRate());
        assertEquals(6, codec.timestampUnitsPerSample());
        assertEquals(2, codec.rtpmapChannels());
    }
}
