package io.kinline.media.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;

/**
 * Writes an encrypted recording ({@link RecordingCipher}): PCM is gathered into a buffer of one second and
 * sealed as a chunk when the buffer is full or at every {@link #flush()} (the recorder flushes every 500 ms),
 * so no chunk holds more than a second of audio and a crash loses at most the unsealed part. The last chunk,
 * written by {@link #close()}, carries the last-chunk flag: a file that lacks it was cut short by a crash.
 * One owner thread.
 */
public final class EncryptedRecordingWriter implements RecordingOutput {

    private final FileChannel channel;
    private final byte[] header;
    private final SecretKey key;
    private final byte[] prefix;
    private final ByteBuffer pending;
    private final Cipher cipher;
    private long position;
    private long index;
    private boolean closed;

    EncryptedRecordingWriter(Path file, int channels, byte[] header, SecretKey key, byte[] prefix) throws IOException {
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("channels must be 1 or 2");
        }
        this.header = header;
        this.key = key;
        this.prefix = prefix;
        this.pending = ByteBuffer.allocate(RecordingCipher.RATE * 2 * channels).order(ByteOrder.LITTLE_ENDIAN);
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM is not available", e);
        }
        this.channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                FileModes.ownerOnly());
        try {
            writeFully(ByteBuffer.wrap(header));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void write(short[] samples, int off, int len) throws IOException {
        for (int i = 0; i < len; i++) {
            if (!pending.hasRemaining()) {
                seal(false); // a full second: never more in one chunk
            }
            pending.putShort(samples[off + i]);
        }
    }

    @Override
    public void flush() throws IOException {
        if (pending.position() > 0) {
            seal(false);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            seal(true);
            channel.force(false);
        } finally {
            channel.close();
        }
    }

    /** Encrypts what is pending as the next chunk and appends it: length, then ciphertext and tag. */
    private void seal(boolean last) throws IOException {
        pending.flip();
        byte[] out;
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, RecordingCipher.gcm(prefix, index));
            cipher.updateAAD(RecordingCipher.aad(header, index, last));
            out = cipher.doFinal(pending.array(), 0, pending.limit());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt recording chunk " + index, e);
        }
        pending.clear();
        ByteBuffer chunk = ByteBuffer.allocate(4 + out.length);
        chunk.putInt(out.length).put(out).flip();
        writeFully(chunk);
        index++;
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            position += channel.write(b, position);
        }
    }
}
