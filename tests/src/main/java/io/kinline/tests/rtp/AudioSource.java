package io.kinline.tests.rtp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A source of 8 kHz 16-bit PCM, pulled one frame at a time by the RTP sender.
 * Implementations are stateful and used by a single sender thread.
 */
@FunctionalInterface
public interface AudioSource {

    int RATE = 8000;

    /** Fills {@code frame} with the next samples. */
    void next(short[] frame);

    static AudioSource silence() {
        return frame -> java.util.Arrays.fill(frame, (short) 0);
    }

    /** A continuous sine at {@code freq} Hz with peak {@code amplitude} (0..32767). */
    static AudioSource tone(double freq, int amplitude) {
        return tones(amplitude, freq);
    }

    /** Sum of sines, each with peak {@code amplitude}, continuous phase across frames. */
    static AudioSource tones(int amplitude, double... freqs) {
        return new AudioSource() {
            private long n;

            @Override
            public void next(short[] frame) {
                for (int i = 0; i < frame.length; i++, n++) {
                    double v = 0;
                    for (double f : freqs) {
                        v += Math.sin(2 * Math.PI * f * n / RATE);
                    }
                    frame[i] = (short) Math.round(amplitude * v);
                }
            }
        };
    }

    /** Plays {@code pcm} once, then silence (or loops it). */
    static AudioSource pcm(short[] pcm, boolean loop) {
        return new AudioSource() {
            private int pos;

            @Override
            public void next(short[] frame) {
                for (int i = 0; i < frame.length; i++) {
                    if (pos >= pcm.length && loop && pcm.length > 0) {
                        pos = 0;
                    }
                    frame[i] = pos < pcm.length ? pcm[pos++] : 0;
                }
            }
        };
    }

    /** Plays a WAV file (8 kHz mono: 16-bit PCM, μ-law or A-law) once, then silence. */
    static AudioSource wav(Path file, boolean loop) throws IOException {
        return pcm(readWav(file), loop);
    }

    /**
     * Minimal WAV reader (RIFF chunks; formats 1/PCM16, 6/A-law, 7/μ-law; mono 8 kHz only).
     * Independent of Kinline's WavReader on purpose.
     */
    static short[] readWav(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException("not a RIFF/WAVE file: " + file);
        }
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int pos = 12;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (size < 0 || body + size > b.limit()) {
                size = b.limit() - body; // tolerate a truncated/streamed data chunk
            }
            if (id == 0x20746d66) { // "fmt "
                format = b.getShort(body) & 0xFFFF;
                channels = b.getShort(body + 2);
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14);
            } else if (id == 0x61746164) { // "data"
                if (channels != 1 || rate != RATE) {
                    throw new IOException("need 8 kHz mono, got " + rate + " Hz x" + channels + ": " + file);
                }
                if (format == 1 && bits == 16) {
                    short[] out = new short[size / 2];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = b.getShort(body + 2 * i);
                    }
                    return out;
                } else if (format == 7 || format == 6) {
                    byte[] codes = new byte[size];
                    b.get(body, codes);
                    return G711Codec.decode(format == 6 ? G711Codec.PCMA : G711Codec.PCMU, codes, 0, size);
                }
                throw new IOException("unsupported WAV format " + format + "/" + bits + " bits: " + file);
            }
            pos = body + size + (size & 1);
        }
        throw new IOException("no data chunk: " + file);
    }

    /** DTMF key as a dual tone of {@code ms} milliseconds followed by {@code gapMs} of silence. */
    static short[] dtmfTones(String keys, int ms, int gapMs, int amplitude) {
        int toneLen = ms * RATE / 1000;
        int gapLen = gapMs * RATE / 1000;
        short[] out = new short[keys.length() * (toneLen + gapLen)];
        int pos = 0;
        for (char k : keys.toCharArray()) {
            double[] f = Goertzel.frequencies(k);
            for (int i = 0; i < toneLen; i++) {
                double v = Math.sin(2 * Math.PI * f[0] * i / RATE) + Math.sin(2 * Math.PI * f[1] * i / RATE);
                out[pos++] = (short) Math.round(amplitude * v);
            }
            pos += gapLen;
        }
        return out;
    }
}
