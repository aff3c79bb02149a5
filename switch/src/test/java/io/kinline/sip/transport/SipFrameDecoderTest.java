package io.kinline.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class SipFrameDecoderTest {
    private static final String BODY = "v=0\r\n";
    private static final String MSG = "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n"
            + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY;

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new SipFrameDecoder(128, 512, 64));
    }

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static String text(SipFrame f) {
        return new String(f.bytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void pipelinedMessagesAndLeadingCrlf() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf("\r\n" + MSG + MSG + "\r\n\r\n"));
        SipFrame a = ch.readInbound();
        SipFrame b = ch.readInbound();
        SipFrame ping = ch.readInbound();
        assertEquals(MSG, text(a));
        assertEquals(MSG, text(b));
        assertEquals(SipFrame.Kind.PING, ping.kind());
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void byteByByte() {
        EmbeddedChannel ch = channel();
        for (char c : MSG.toCharArray()) {
            ch.writeInbound(buf(String.valueOf(c)));
        }
        SipFrame f = ch.readInbound();
        assertEquals(SipFrame.Kind.MESSAGE, f.kind());
        assertEquals(MSG, text(f));
        assertFalse(ch.finish());
    }

    @Test
    void compactContentLength() {
        EmbeddedChannel ch = channel();
        String m = "OPTIONS sip:a SIP/2.0\r\nl : 3\r\n\r\nabcOPTIONS";
        ch.writeInbound(buf(m));
        SipFrame f = ch.readInbound();
        assertTrue(text(f).endsWith("\r\n\r\nabc"));
        assertNull(ch.readInbound(), "the rest waits for more bytes");
        ch.finishAndReleaseAll();
    }

    @Test
    void headerBlockTooLarge() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf("OPTIONS sip:a SIP/2.0\r\nX: " + "a".repeat(600) + "\r\n\r\n"));
        SipFrame f = ch.readInbound();
        assertEquals(SipFrame.Kind.ERROR, f.kind());
        assertEquals(513, f.status());
        ch.writeInbound(buf(MSG));
        assertNull(ch.readInbound(), "nothing is decoded after a framing error");
        ch.finishAndReleaseAll();
    }

    @Test
    void initialLineTooLong() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf("OPTIONS sip:" + "a".repeat(200) + " SIP/2.0\r\n"));
        SipFrame f = ch.readInbound();
        assertEquals(513, f.status());
        assertTrue(f.reason().contains("Initial line"));
        ch.finishAndReleaseAll();
    }

    @Test
    void bodyTooLargeAndBadContentLength() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf("OPTIONS sip:a SIP/2.0\r\nContent-Length: 100\r\n\r\n"));
        SipFrame f = ch.readInbound();
        assertEquals(513, f.status());
        assertTrue(text(f).startsWith("OPTIONS"), "header bytes kept for the error response");
        ch.finishAndReleaseAll();

        EmbeddedChannel ch2 = channel();
        ch2.writeInbound(buf("OPTIONS sip:a SIP/2.0\r\nContent-Length: -1\r\n\r\n"));
        SipFrame g = ch2.readInbound();
        assertEquals(400, g.status());
        ch2.finishAndReleaseAll();
    }

    @Test
    void contentLengthScanner() {
        byte[] h = "INVITE x SIP/2.0\r\nContent-Length:  42 \r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(42, SipFraming.contentLength(h, 0, h.length));
        byte[] none = "INVITE x SIP/2.0\r\nX-Content-Length: 4\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(SipFraming.NO_CONTENT_LENGTH, SipFraming.contentLength(none, 0, none.length));
        byte[] bad = "INVITE x SIP/2.0\r\ncontent-length: 4x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(SipFraming.BAD_CONTENT_LENGTH, SipFraming.contentLength(bad, 0, bad.length));
    }

    @Test
    void twoDifferentContentLengthsAreAFramingError() {
        // The framer and the parser must never disagree on where a message ends (request smuggling).
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf("OPTIONS sip:a SIP/2.0\r\nContent-Length: 0\r\nl: 5\r\n\r\nv=0\r\n" + MSG));
        SipFrame f = ch.readInbound();
        assertEquals(SipFrame.Kind.ERROR, f.kind());
        assertEquals(400, f.status());
        assertTrue(f.reason().contains("Conflicting Content-Length"), f.reason());
        assertTrue(text(f).startsWith("OPTIONS"), "header bytes kept for the error response");
        assertNull(ch.readInbound(), "nothing after it is framed: the stream is closed");
        ch.finishAndReleaseAll();

        byte[] same = "INVITE x SIP/2.0\r\nContent-Length: 4\r\nContent-Length:4\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(4, SipFraming.contentLength(same, 0, same.length), "a repeated equal value is one length");
        byte[] differ = "INVITE x SIP/2.0\r\nContent-Length: 4\r\nl: 40\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(SipFraming.CONFLICTING_CONTENT_LENGTH, SipFraming.contentLength(differ, 0, differ.length));
    }
}
