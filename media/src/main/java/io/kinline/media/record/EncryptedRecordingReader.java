package io.kinline.media.record;

import io.kinline.media.wav.WavWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;

/**
 * Reads an encrypted recording ({@link RecordingCipher}) back as the WAV it holds: the canonical 44-byte
 * header for the audio of every complete chunk, then that audio, decrypted chunk by chunk as it is read, so a
 * byte range of the WAV (an HTTP Range request) costs only the chunks it touches.
 *
 * <p>The file is hostile input: the header and every chunk length are checked against limits before use, and
 * a chunk that fails authentication (altered, moved, or from another file) is an {@link IOException}, never
 * audio. Bytes after the last complete chunk (a chunk a crash cut short) are not audio; {@link #tornBytes()}
 * counts them. A file without its last-chunk flag was not closed (the switch was killed while recording):
 * {@link #terminated()}.
 */
public final class EncryptedRecordingReader implements java.io.Closeable {

    private static final int MAX_HEADER = 512;

    private final FileChannel channel;
    private final byte[] header;
    private final int channels;
    private final byte[] prefix;
    private final SecretKey key;
    private final long[] offsets;
    private final int[] lengths;
    /** PCM offset of each chunk's first byte; one more entry: the total. */
    private final long[] plainStart;
    private final long tornBytes;
    private final Cipher cipher;
    private Boolean terminated;

    private EncryptedRecordingReader(FileChannel channel, byte[] header, int channels, byte[] prefix, SecretKey key,
            long[] offsets, int[] lengths, long tornBytes) throws IOException {
        this.channel = channel;
        this.header = header;
        this.channels = channels;
        this.prefix = prefix;
        this.key = key;
        this.offsets = offsets;
        this.lengths = lengths;
        this.tornBytes = tornBytes;
        this.plainStart = new long[lengths.length + 1];
        for (int i = 0; i < lengths.length; i++) {
            plainStart[i + 1] = plainStart[i] + lengths[i] - RecordingCipher.TAG_BYTES;
        }
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM is not available", e);
        }
    }

    static EncryptedRecordingReader open(Path file, RecordingCipher keys) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            ByteBuffer fixed = read(ch, 0, Math.min(size, MAX_HEADER));
            byte[] magic = new byte[RecordingCipher.MAGIC.length];
            if (fixed.remaining() < 32) {
                throw new IOException(file + ": not an encrypted recording (too short)");
            }
            fixed.get(magic);
            if (!Arrays.equals(magic, RecordingCipher.MAGIC)) {
                throw new IOException(file + ": not an encrypted recording (bad magic)");
            }
            int headerLen = fixed.getShort() & 0xFFFF;
            int version = fixed.get() & 0xFF;
            int channels = fixed.get() & 0xFF;
            int rate = fixed.getInt();
            int bits = fixed.get() & 0xFF;
            if (version != RecordingCipher.VERSION || (channels != 1 && channels != 2) || rate != RecordingCipher.RATE
                    || bits != 16 || headerLen > fixed.limit()) {
                throw new IOException(file + ": unsupported or damaged recording header");
            }
            byte[] prefix = new byte[RecordingCipher.NONCE_PREFIX_BYTES];
            fixed.get(prefix);
            String keyId = new String(field(fixed, headerLen, 64, file), java.nio.charset.StandardCharsets.US_ASCII);
            byte[] wrapped = field(fixed, headerLen, 64, file);
            if (fixed.position() != headerLen) {
                throw new IOException(file + ": damaged recording header (length)");
            }
            byte[] header = Arrays.copyOf(fixed.array(), headerLen);
            SecretKey key = keys.unwrap(keyId, wrapped);

            int maxChunk = RecordingCipher.RATE * 2 * channels + RecordingCipher.TAG_BYTES;
            long[] offsets = new long[16];
            int[] lengths = new int[16];
            int n = 0;
            long pos = headerLen;
            while (pos + 4 <= size) {
                int len = read(ch, pos, 4).getInt();
                if (len < RecordingCipher.TAG_BYTES || len > maxChunk) {
                    throw new IOException(file + ": damaged chunk length " + len + " at offset " + pos);
                }
                if (pos + 4 + len > size) {
                    break; // cut short by a crash: not audio
                }
                if (n == offsets.length) {
                    offsets = Arrays.copyOf(offsets, n * 2);
                    lengths = Arrays.copyOf(lengths, n * 2);
                }
                offsets[n] = pos + 4;
                lengths[n] = len;
                n++;
                pos += 4 + len;
            }
            return new EncryptedRecordingReader(ch, header, channels, prefix, key, Arrays.copyOf(offsets, n),
                    Arrays.copyOf(lengths, n), size - pos);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static byte[] field(ByteBuffer b, int headerLen, int max, Path file) throws IOException {
        if (b.position() >= headerLen) {
            throw new IOException(file + ": damaged recording header");
        }
        int len = b.get() & 0xFF;
        if (len == 0 || len > max || b.position() + len > headerLen) {
            throw new IOException(file + ": damaged recording header");
        }
        byte[] v = new byte[len];
        b.get(v);
        return v;
    }

    private static ByteBuffer read(FileChannel ch, long pos, long len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) len);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new EOFException("unexpected end of recording");
            }
        }
        return b.flip();
    }

    public int channels() {
        return channels;
    }

    public int chunks() {
        return lengths.length;
    }

    /** Bytes of PCM in the complete chunks. */
    public long pcmBytes() {
        return plainStart[lengths.length];
    }

    /** Size of the WAV this file holds: header and PCM. */
    public long wavSize() {
        return WavWriter.HEADER + pcmBytes();
    }

    /** Bytes after the last complete chunk: a chunk a crash cut short (0 for a closed file). */
    public long tornBytes() {
        return tornBytes;
    }

    /** Audio in the longest chunk, in milliseconds (never more than a second by construction). */
    public long longestChunkMillis() {
        long max = 0;
        for (int len : lengths) {
            max = Math.max(max, len - RecordingCipher.TAG_BYTES);
        }
        return max * 1000 / (RecordingCipher.RATE * 2L * channels);
    }

    /** Whether the file ends with the last-chunk flag (it was closed, not cut short by a crash). */
    public boolean terminated() throws IOException {
        if (terminated == null) {
            if (lengths.length == 0) {
                terminated = false;
            } else {
                chunk(lengths.length - 1); // decides it
            }
        }
        return terminated;
    }

    /** Decrypts and authenticates chunk {@code i}: its PCM. */
    public byte[] chunk(int i) throws IOException {
        ByteBuffer ct = read(channel, offsets[i], lengths[i]);
        boolean lastInFile = i == lengths.length - 1;
        if (lastInFile) {
            try {
                byte[] pcm = decrypt(ct.array(), i, true);
                terminated = true;
                return pcm;
            } catch (AEADBadTagException notFinal) {
                // a recording cut short by a crash has no last-chunk flag: try as a middle chunk
            }
        }
        try {
            byte[] pcm = decrypt(ct.array(), i, false);
            if (lastInFile) {
                terminated = false;
            }
            return pcm;
        } catch (AEADBadTagException e) {
            throw new IOException("recording chunk " + i + " fails authentication: altered, moved or damaged", e);
        }
    }

    private byte[] decrypt(byte[] ct, long index, boolean last) throws AEADBadTagException, IOException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, RecordingCipher.gcm(prefix, index));
            cipher.updateAAD(RecordingCipher.aad(header, index, last));
            return cipher.doFinal(ct);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot decrypt recording chunk " + index, e);
        }
    }

    /** The WAV's bytes {@code [offset, offset + length)}, decrypted as they are read. */
    public InputStream wav(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > wavSize()) {
            throw new IllegalArgumentException("range outside the recording");
        }
        return new WavStream(offset, offset + length);
    }

    /** The whole WAV. */
    public InputStream wav() {
        return wav(0, wavSize());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private final class WavStream extends InputStream {
        private final byte[] wavHeader = WavWriter.header(channels, pcmBytes());
        private long pos;
        private final long end;
        private int cachedIndex = -1;
        private byte[] cached;

        WavStream(long from, long end) {
            this.pos = from;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos >= end) {
                return -1;
            }
            int n = (int) Math.min(len, end - pos);
            if (pos < WavWriter.HEADER) {
                n = (int) Math.min(n, WavWriter.HEADER - pos);
                System.arraycopy(wavHeader, (int) pos, b, off, n);
            } else {
                long pcm = pos - WavWriter.HEADER;
                int i = chunkAt(pcm);
                if (i != cachedIndex) {
                    cached = chunk(i);
                    cachedIndex = i;
                }
                int at = (int) (pcm - plainStart[i]);
                n = Math.min(n, cached.length - at);
                System.arraycopy(cached, at, b, off, n);
            }
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - pos);
        }

        /** The chunk holding PCM byte {@code pcm}. */
        private int chunkAt(long pcm) {
            int i = Arrays.binarySearch(plainStart, 0, lengths.length, pcm);
            if (i < 0) {
                i = -i - 2;
            }
            while (i + 1 < lengths.length && plainStart[i + 1] <= pcm) {
                i++; // past empty chunks
            }
            return i;
        }
    }
}
