package io.kinline.media.record;

import io.kinline.media.files.PrivateFiles;

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
    /** The associated data of the next chunk: the header, then the index and the last-chunk flag (reused). */
    private final ByteBuffer aad;
    /** The next chunk as written: its length, then ciphertext and tag (reused: no allocation per chunk). */
    private final byte[] chunk;
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
        this.aad = ByteBuffer.wrap(RecordingCipher.aad(header, 0, false));
        this.chunk = new byte[4 + pending.capacity() + RecordingCipher.TAG_BYTES];
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM is not available", e);
        }
        this.channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PrivateFiles.fileAttributes(file));
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
        int n = pending.position();
        int len;
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, RecordingCipher.gcm(prefix, index));
            aad.putLong(header.length, index).put(header.length + 8, (byte) (last ? 1 : 0));
            cipher.updateAAD(aad.array());
            len = cipher.doFinal(pending.array(), 0, n, chunk, 4);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt recording chunk " + index, e);
        }
        pending.clear();
        ByteBuffer.wrap(chunk).putInt(0, len);
        writeFully(ByteBuffer.wrap(chunk, 0, 4 + len));
        index++;
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            position += channel.write(b, position);
        }
    }
}
