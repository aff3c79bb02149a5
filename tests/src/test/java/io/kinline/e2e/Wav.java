package io.kinline.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A 16-bit PCM WAV read by the tests themselves (not with Kinline's reader, so a bug there cannot
 * hide one in the recorder), and the tone files the tests' phones play.
 */
record Wav(int channels, int rate, short[] interleaved) {

    static Wav read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) { // RIFF, WAVE
            throw new IOException(file + ": not a RIFF/WAVE file");
        }
        int channels = -1;
        int rate = -1;
        int pos = 12;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                int format = b.getShort(body) & 0xFFFF;
                channels = b.getShort(body + 2);
                rate = b.getInt(body + 4);
                int bits = b.getShort(body + 14);
                if (format != 1 || bits != 16) {
                    throw new IOException(file + ": not 16-bit PCM (format " + format + ", " + bits + " bits)");
                }
            } else if (id == 0x61746164) { // "data"
                if (channels < 1) {
                    throw new IOException(file + ": data before fmt");
                }
                long available = b.limit() - body;
                if (size > available) {
                    throw new IOException(file + ": header says " + size + " data bytes, file has " + available);
                }
                short[] pcm = new short[(int) (size / 2)];
                for (int i = 0; i < pcm.length; i++) {
                    pcm[i] = b.getShort(body + 2 * i);
                }
                return new Wav(channels, rate, pcm);
            }
            pos = (int) (body + size + (size & 1));
        }
        throw new IOException(file + ": no data chunk");
    }

    /**
     * Writes {@code seconds} of a sine at {@code hz} (amplitude 8000) as an 8 kHz mono 16-bit WAV: what baresip's
     * aufile plays as its microphone (it hangs up at the end of the file).
     */
    static Path writeTone(Path file, int hz, int seconds) throws IOException {
        int n = 8000 * seconds;
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(2 * n);
        for (int i = 0; i < n; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * hz * i / 8000.0)));
        }
        return Files.write(file, b.array());
    }

    /** Waits until the file exists, holds audio, and stopped growing (the recorder closes it asynchronously). */
    static Wav awaitComplete(Path file, Duration wait) throws IOException {
        long until = System.nanoTime() + wait.toNanos();
        long lastSize = -1;
        while (System.nanoTime() < until) {
            if (Files.isRegularFile(file)) {
                long size = Files.size(file);
                if (size > 44 && size == lastSize) {
                    return read(file);
                }
                lastSize = size;
            }
            E2eSwitch.sleep(700);
        }
        Wav w = read(file);
        return w;
    }

    int frames() {
        return interleaved.length / channels;
    }

    short[] channel(int c) {
        short[] out = new short[frames()];
        for (int i = 0; i < out.length; i++) {
            out[i] = interleaved[i * channels + c];
        }
        return out;
    }
}
