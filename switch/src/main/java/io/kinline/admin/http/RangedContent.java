package io.kinline.admin.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A body that can be sent whole or as one byte range (HTTP Range, RFC 9110 §14): a file, or bytes made as they
 * are read (an encrypted recording, decrypted). Opened on a virtual thread; the chunks are read on the event
 * loop as the connection drains. Exactly one of {@link #body} or {@link #close} releases what it holds.
 */
public interface RangedContent extends Closeable {

    int CHUNK = 16 * 1024;

    /** Size of the whole representation in bytes. */
    long size();

    /** Bytes {@code [offset, offset + length)} as a chunked body, which releases everything when it is closed. */
    ChunkedInput<ByteBuf> body(long offset, long length) throws IOException;

    /** Releases the content when no body is taken (a 416, a failure before sending). */
    @Override
    void close() throws IOException;

    /** A file as it is on disk. */
    static RangedContent file(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        long size;
        try {
            size = ch.size();
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new RangedContent() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public ChunkedInput<ByteBuf> body(long offset, long length) throws IOException {
                return new ChunkedNioFile(ch, offset, length, CHUNK);
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    /** Opens a stream of the representation's bytes {@code [offset, offset + length)}. */
    @FunctionalInterface
    interface Opener {
        InputStream open(long offset, long length) throws IOException;
    }

    /** Bytes made as they are read by {@code opener}; {@code resource} is closed with the body (or by {@link #close}). */
    static RangedContent stream(long size, Opener opener, Closeable resource) {
        return new RangedContent() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public ChunkedInput<ByteBuf> body(long offset, long length) throws IOException {
                InputStream in = new FilterInputStream(opener.open(offset, length)) {
                    @Override
                    public void close() throws IOException {
                        try {
                            super.close();
                        } finally {
                            resource.close();
                        }
                    }
                };
                return new ChunkedStream(in, CHUNK);
            }

            @Override
            public void close() throws IOException {
                resource.close();
            }
        };
    }
}
