package io.kinline.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Frames SIP messages on a stream transport (RFC 3261 §18.3) by Content-Length.
 * <p>
 * States: {@code SKIP_CRLF} (leading CRLFs; a CRLFCRLF there is an RFC 5626 ping), {@code HEADERS} (up to
 * CRLFCRLF, bounded by the initial-line and header-block limits; the search resumes where the last read left
 * it, so bytes arriving one at a time cost linear time), {@code BODY} (exactly Content-Length bytes). Two
 * different Content-Length values are a framing error (400), as is an invalid one.
 * After a framing error the decoder emits one {@link SipFrame.Kind#ERROR} frame and discards everything else: the
 * stream can no longer be trusted, so the handler answers if it can and closes the connection.
 */
public final class SipFrameDecoder extends ByteToMessageDecoder {

    private enum State { SKIP_CRLF, HEADERS, BODY, BROKEN }

    private final int maxInitialLine;
    private final int maxHeaderBlock;
    private final int maxBody;

    private State state = State.SKIP_CRLF;
    private int crlfRun;
    private byte[] headers;
    private int bodyLength;
    /*
     * Scan positions in the header block, relative to its first byte (the reader index, which stays put
     * until the block is complete; the cumulation buffer may move, the offsets stay true): the initial
     * line's CRLF and the blank line are searched from where the previous read stopped.
     */
    private boolean initialLineSeen;
    private int lineScanned;
    private int headerScanned;

    public SipFrameDecoder(int maxInitialLine, int maxHeaderBlock, int maxBody) {
        this.maxInitialLine = maxInitialLine;
        this.maxHeaderBlock = maxHeaderBlock;
        this.maxBody = maxBody;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case SKIP_CRLF -> {
                    while (in.isReadable()) {
                        byte c = in.getByte(in.readerIndex());
                        if (c != '\r' && c != '\n') {
                            break;
                        }
                        in.skipBytes(1);
                        crlfRun++;
                        if (crlfRun == 4) {
                            crlfRun = 0;
                            out.add(SipFrame.PING);
                        }
                    }
                    if (!in.isReadable()) {
                        return;
                    }
                    crlfRun = 0;
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    int readable = in.readableBytes();
                    int start = in.readerIndex();
                    int scan = Math.min(readable, maxHeaderBlock);
                    if (!initialLineSeen) {
                        int lineLimit = Math.min(scan, maxInitialLine + 2);
                        int eol = indexOfCrlf(in, start + lineScanned, start + lineLimit);
                        if (eol >= 0) {
                            initialLineSeen = true;
                        } else if (lineLimit >= maxInitialLine + 2) {
                            fail(in, out, 513, "Message Too Large - Initial line too long", maxInitialLine);
                            return;
                        } else {
                            lineScanned = Math.max(lineScanned, lineLimit - 1); // a CR at the end may get its LF
                        }
                    }
                    int end = indexOfBlankLine(in, start + headerScanned, start + scan);
                    if (end < 0) {
                        if (readable >= maxHeaderBlock) {
                            fail(in, out, 513, "Message Too Large - Header block too large", maxHeaderBlock);
                            return;
                        }
                        // Resume where this search stopped (less the three bytes a CRLFCRLF split by the
                        // read may have begun with): a header block dripped one byte per read costs
                        // linear time, not a rescan of everything so far on every read.
                        headerScanned = Math.max(headerScanned, scan - 3);
                        return; // need more bytes
                    }
                    initialLineSeen = false;
                    lineScanned = 0;
                    headerScanned = 0;
                    int headerLen = end - start;
                    byte[] h = new byte[headerLen];
                    in.getBytes(start, h);
                    int cl = SipFraming.contentLength(h, 0, headerLen);
                    if (cl == SipFraming.BAD_CONTENT_LENGTH) {
                        in.skipBytes(headerLen);
                        failWith(in, out, h, 400, "Bad Request - Invalid Content-Length");
                        return;
                    }
                    if (cl == SipFraming.CONFLICTING_CONTENT_LENGTH) {
                        // The stream can no longer be framed with confidence: answer, then close.
                        in.skipBytes(headerLen);
                        failWith(in, out, h, 400, SipFraming.CONFLICTING_REASON);
                        return;
                    }
                    if (cl == SipFraming.NO_CONTENT_LENGTH) {
                        cl = 0; // mandatory on streams (RFC 3261 §20.14); be lenient and assume no body
                    }
                    if (cl > maxBody) {
                        in.skipBytes(headerLen);
                        failWith(in, out, h, 513, "Message Too Large - Body too large");
                        return;
                    }
                    in.skipBytes(headerLen);
                    headers = h;
                    bodyLength = cl;
                    state = State.BODY;
                }
                case BODY -> {
                    if (in.readableBytes() < bodyLength) {
                        return;
                    }
                    byte[] msg = new byte[headers.length + bodyLength];
                    System.arraycopy(headers, 0, msg, 0, headers.length);
                    in.readBytes(msg, headers.length, bodyLength);
                    headers = null;
                    state = State.SKIP_CRLF;
                    out.add(SipFrame.message(msg));
                }
                case BROKEN -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private void fail(ByteBuf in, List<Object> out, int status, String reason, int keep) {
        byte[] h = ByteBufUtil.getBytes(in, in.readerIndex(), Math.min(in.readableBytes(), keep));
        failWith(in, out, h, status, reason);
    }

    private void failWith(ByteBuf in, List<Object> out, byte[] headerBytes, int status, String reason) {
        state = State.BROKEN;
        headers = null;
        in.skipBytes(in.readableBytes());
        out.add(SipFrame.error(headerBytes, status, reason));
    }

    private static int indexOfBlankLine(ByteBuf in, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
                    && in.getByte(i + 3) == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private static int indexOfCrlf(ByteBuf in, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }
}
