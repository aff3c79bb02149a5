package io.kinline.e2e;

import io.kinline.tests.rtp.G711Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which voice is on a recording's channel: the loudness envelope of the channel (20 ms frames) against the
 * envelope of a looped source the peer streamed (SIPp's {@code rtp_stream} of a headerless μ-law file),
 * best over every alignment. Speech has a rhythm of words and pauses that a different recording does not
 * share, so a channel matches its own source far better than the other one; silence matches nothing.
 */
final class Voices {

    /** 20 ms at 8 kHz. */
    static final int FRAME = 160;

    private Voices() {
    }

    /** The decoded samples of a headerless μ-law file. */
    static short[] ulaw(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        return G711Codec.decode(G711Codec.PCMU, b, 0, b.length);
    }

    /** One channel of interleaved PCM. */
    static short[] channel(Wav wav, int channel) {
        short[] out = new short[wav.interleaved().length / wav.channels()];
        for (int i = 0; i < out.length; i++) {
            out[i] = wav.interleaved()[i * wav.channels() + channel];
        }
        return out;
    }

    /** The share of 20 ms frames louder than {@code dbov}. */
    static double activeShare(short[] pcm, double dbov) {
        double[] env = envelope(pcm);
        int loud = 0;
        for (double e : env) {
            if (e > dbov) {
                loud++;
            }
        }
        return env.length == 0 ? 0 : (double) loud / env.length;
    }

    /**
     * The best Pearson correlation, over all alignments, of the channel's envelope (in dBov) with the source
     * looped over it: near 1 when the channel carries the source, low for another voice or silence.
     */
    static double match(short[] channel, short[] loopedSource) {
        double[] c = envelope(channel);
        double[] s = envelope(loopedSource);
        if (c.length < 50 || s.length == 0) {
            return 0;
        }
        double best = -1;
        for (int lag = 0; lag < s.length; lag++) {
            double[] aligned = new double[c.length];
            for (int i = 0; i < c.length; i++) {
                aligned[i] = s[(i + lag) % s.length];
            }
            best = Math.max(best, pearson(c, aligned));
        }
        return best;
    }

    private static double[] envelope(short[] pcm) {
        double[] env = new double[pcm.length / FRAME];
        for (int f = 0; f < env.length; f++) {
            double sum = 0;
            for (int i = f * FRAME; i < (f + 1) * FRAME; i++) {
                sum += (double) pcm[i] * pcm[i];
            }
            double rms = Math.sqrt(sum / FRAME);
            env[f] = 20 * Math.log10(Math.max(rms, 1) / 32768.0);
        }
        return env;
    }

    private static double pearson(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double num = 0;
        double da = 0;
        double db = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - ma) * (b[i] - mb);
            da += (a[i] - ma) * (a[i] - ma);
            db += (b[i] - mb) * (b[i] - mb);
        }
        return da == 0 || db == 0 ? 0 : num / Math.sqrt(da * db);
    }
}
