package io.kinline.media.wav;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;

/**
 * Writes 8 kHz 16-bit PCM WAV incrementally.
 *
 * <p>The header is rewritten with the true sizes on every {@link #flush()}, so a file cut short by a
 * crash is still a valid WAV holding everything up to the last flush. Not thread safe: one owner.
 */
public final class WavWriter implements AutoCloseable {

    /** Size of the header this writer writes. */
    public static final int HEADER = 44;

    private final FileChannel channel;
    private final int channels;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer pending;
    private long dataBytes;
    private boolean closed;

    /** Creates or truncates {@code file} (prompts, captures, names: files that are made again on purpose). */
    public WavWriter(Path file, int channels) throws IOException {
        // 0600 from its creation: a name recording or capture is the caller's voice too.
        this(channels, FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), io.kinline.media.files.PrivateFiles.fileAttributes(file)));
    }

    /**
     * Creates {@code file}, which must not exist ({@link java.nio.file.FileAlreadyExistsException} otherwise),
     * with {@code attrs} (a file mode): for call recordings, which are never overwritten.
     */
    public static WavWriter createNew(Path file, int channels, FileAttribute<?>... attrs) throws IOException {
        return new WavWriter(channels, FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), attrs));
    }

    private WavWriter(int channels, FileChannel channel) throws IOException {
        if (channels < 1 || channels > 2) {
            channel.close();
            throw new IllegalArgumentException("channels must be 1 or 2");
        }
        this.channels = channels;
        this.channel = channel;
        this.pending = ByteBuffer.allocate(8000 * 2 * channels).order(ByteOrder.LITTLE_ENDIAN);
        writeHeader();
    }

    public int channels() {
        return channels;
    }

    /** Appends interleaved samples. */
    public void write(short[] samples, int off, int len) throws IOException {
        for (int i = 0; i < len; i++) {
            if (!pending.hasRemaining()) {
                drain();
            }
            pending.putShort(samples[off + i]);
        }
    }

    /** Bytes of audio written so far, including unflushed ones. */
    public long dataBytes() {
        return dataBytes + pending.position();
    }

    public long durationMillis() {
        return dataBytes() * 1000 / (8000L * 2 * channels);
    }

    /** Writes buffered audio and the up-to-date header to the file. */
    public void flush() throws IOException {
        drain();
        writeHeader();
    }

    /** Flushes and forces the data to the storage device. */
    public void sync() throws IOException {
        flush();
        channel.force(false);
    }

    private void drain() throws IOException {
        pending.flip();
        long pos = HEADER + dataBytes;
        while (pending.hasRemaining()) {
            pos += channel.write(pending, pos);
        }
        dataBytes = pos - HEADER;
        pending.clear();
    }

    private void writeHeader() throws IOException {
        header.clear();
        putHeader(header, channels, dataBytes);
        header.flip();
        long pos = 0;
        while (header.hasRemaining()) {
            pos += channel.write(header, pos);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
            channel.force(false);
        } finally {
            channel.close();
        }
    }

    /** The 44-byte header of an 8 kHz 16-bit PCM WAV holding {@code dataBytes} of audio. */
    public static byte[] header(int channels, long dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        putHeader(b, channels, dataBytes);
        return b.array();
    }

    private static void putHeader(ByteBuffer header, int channels, long dataBytes) {
        int blockAlign = 2 * channels;
        header.putInt(0x46464952).putInt((int) (36 + dataBytes)).putInt(0x45564157);
        header.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) channels)
                .putInt(8000).putInt(8000 * blockAlign).putShort((short) blockAlign).putShort((short) 16);
        header.putInt(0x61746164).putInt((int) dataBytes);
    }

    /** Writes a whole mono or stereo PCM buffer to a file in one go. */
    public static void write(Path file, int channels, short[] samples) throws IOException {
        try (WavWriter w = new WavWriter(file, channels)) {
            w.write(samples, 0, samples.length);
        }
    }
}
