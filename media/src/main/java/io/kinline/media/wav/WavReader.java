package io.kinline.media.wav;

import io.kinline.media.codec.G711;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads RIFF/WAVE files of 8 kHz audio (16-bit PCM, μ-law or A-law) into linear PCM.
 *
 * <p>Anything else is rejected with a {@link WavException} that names what was found, because the
 * people who feed files to {@code kinline tones} need to know what to convert, not a stack trace.
 */
public final class WavReader {

    /** Files bigger than this are refused rather than read into memory (about 9 hours of 8 kHz PCM). */
    public static final long MAX_BYTES = 512L * 1024 * 1024;

    private WavReader() {
    }

    /** Decoded audio: interleaved samples per channel. */
    public record Audio(int sampleRate, int channels, WavFormat format, short[] samples) {
        /** Number of sample frames (samples per channel). */
        public int frames() {
            return samples.length / channels;
        }

        /** Extracts one channel. */
        public short[] channel(int index) {
            if (index < 0 || index >= channels) {
                throw new IllegalArgumentException("no channel " + index + " in " + channels + "-channel audio");
            }
            short[] out = new short[frames()];
            for (int i = 0, j = index; i < out.length; i++, j += channels) {
                out[i] = samples[j];
            }
            return out;
        }

        public long durationMillis() {
            return frames() * 1000L / sampleRate;
        }
    }

    public static Audio read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new WavException(file + ": file is " + size + " bytes, larger than the " + MAX_BYTES + " byte limit");
        }
        return read(Files.readAllBytes(file), file.toString());
    }

    public static Audio read(InputStream in, String name) throws IOException {
        return read(in.readAllBytes(), name);
    }

    public static Audio read(byte[] data, String name) throws WavException {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        if (data.length < 12 || b.getInt(0) != 0x46464952 /* RIFF */ || b.getInt(8) != 0x45564157 /* WAVE */) {
            throw new WavException(name + ": not a WAV file (no RIFF/WAVE header)");
        }
        int pos = 12;
        int formatTag = -1;
        int channels = 0;
        int sampleRate = 0;
        int bits = 0;
        int dataOff = -1;
        int dataLen = 0;
        while (pos + 8 <= data.length) {
            int id = b.getInt(pos);
            long len = b.getInt(pos + 4) & 0xFFFFFFFFL;
            int body = pos + 8;
            if (id == 0x20746d66 /* "fmt " */) {
                if (len < 16 || body + 16 > data.length) {
                    throw new WavException(name + ": truncated fmt chunk");
                }
                formatTag = b.getShort(body) & 0xFFFF;
                channels = b.getShort(body + 2) & 0xFFFF;
                sampleRate = b.getInt(body + 4);
                bits = b.getShort(body + 14) & 0xFFFF;
                if (formatTag == 0xFFFE && len >= 40 && body + 40 <= data.length) {
                    formatTag = b.getShort(body + 24) & 0xFFFF; // WAVE_FORMAT_EXTENSIBLE sub-format
                }
            } else if (id == 0x61746164 /* "data" */) {
                dataOff = body;
                // Streaming writers leave the length at 0 or 0xFFFFFFFF: take what is there.
                long available = data.length - body;
                dataLen = (int) (len == 0 || len > available ? available : len);
                break;
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + len + (len & 1));
        }
        if (formatTag < 0) {
            throw new WavException(name + ": no fmt chunk");
        }
        if (dataOff < 0) {
            throw new WavException(name + ": no data chunk");
        }
        WavFormat format = switch (formatTag) {
            case 1 -> bits == 16 ? WavFormat.PCM16 : null;
            case 6 -> bits == 8 ? WavFormat.ALAW : null;
            case 7 -> bits == 8 ? WavFormat.MULAW : null;
            default -> null;
        };
        if (format == null) {
            throw new WavException(name + ": unsupported encoding (format tag " + formatTag + ", " + bits
                    + " bits); expected 16-bit PCM, μ-law or A-law");
        }
        if (sampleRate != 8000) {
            throw new WavException(name + ": sample rate is " + sampleRate + " Hz; expected 8000 Hz");
        }
        if (channels < 1 || channels > 2) {
            throw new WavException(name + ": " + channels + " channels; expected mono or stereo");
        }
        int bytesPerSample = bits / 8;
        int count = dataLen / bytesPerSample;
        count -= count % channels;
        short[] samples = new short[count];
        switch (format) {
            case PCM16 -> {
                for (int i = 0; i < count; i++) {
                    samples[i] = b.getShort(dataOff + 2 * i);
                }
            }
            case MULAW -> G711.decodeUlaw(data, dataOff, samples, 0, count);
            case ALAW -> G711.decodeAlaw(data, dataOff, samples, 0, count);
        }
        return new Audio(sampleRate, channels, format, samples);
    }
}
