package io.kinline.sip;

import static io.kinline.sip.SipTestSupport.WAIT;
import static io.kinline.sip.SipTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request smuggling through Content-Length (the HTTP pattern, RFC 9112 §6.3): a message with two different
 * Content-Length values would be framed by one value and parsed with the other. It gets 400 and, over TCP,
 * the connection is closed after it, so the bytes the attacker hid behind the first length are never taken
 * for a message of their own.
 */
class SmugglingTest {

    private SipServer sip;

    @BeforeEach
    void start() {
        sip = new SipServer(config().build(), call -> call.reject(486, "Busy Here"));
        sip.start();
    }

    @AfterEach
    void stop() {
        sip.close();
    }

    private static String options(String transport, String callId, String contentLengths, String body) {
        String branch = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return "OPTIONS sip:kinline@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " 127.0.0.1:5999;branch=z9hG4bK" + branch + ";rport\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:kinline@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                + contentLengths + "\r\n" + body;
    }

    /** The hidden request: its own Call-ID, so an answer to it is recognisable. */
    private static String smuggled(String transport) {
        return options(transport, "smuggled-" + System.nanoTime(), "Content-Length: 0\r\n", "");
    }

    @Test
    void twoContentLengthsOverTcpGet400AndTheConnectionIsClosed() throws Exception {
        String hidden = smuggled("TCP");
        // Framed by the first value (0), the hidden request would be the next message on the stream;
        // parsed by the second, it is this message's body.
        String carrier = options("TCP", "carrier-1", "Content-Length: 0\r\nContent-Length: " + hidden.length() + "\r\n",
                hidden);
        try (Socket s = new Socket(sip.tcpAddress().getAddress(), sip.tcpAddress().getPort())) {
            s.setSoTimeout((int) WAIT);
            s.getOutputStream().write(carrier.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            String first = readMessage(in);
            assertTrue(first.startsWith("SIP/2.0 400 "), first);
            assertTrue(first.contains("Conflicting Content-Length"), "the reason names the problem: " + first);
            assertTrue(first.contains("Call-ID: carrier-1"), first);
            // Then the switch closes the stream: nothing else, and no answer to the hidden request.
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            try {
                int b;
                while ((b = in.read()) != -1) {
                    rest.write(b);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the connection stayed open after the 400; got: " + rest);
            } catch (IOException reset) {
                // a reset is a close too
            }
            assertEquals("", rest.toString(StandardCharsets.US_ASCII), "nothing after the 400");
        }
        assertEquals(0, sip.metrics().received.get(), "neither message reached the core");
        assertTrue(sip.metrics().badRequestSent.get() >= 1);
    }

    @Test
    void twoContentLengthsOverUdpGet400() throws Exception {
        String body = "v=0\r\n";
        String msg = options("UDP", "carrier-2", "Content-Length: " + body.length() + "\r\nl: 2\r\n", body);
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] b = msg.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, sip.udpAddress()));
            s.setSoTimeout((int) WAIT);
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            s.receive(p);
            String r = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
            assertTrue(r.startsWith("SIP/2.0 400 "), r);
            assertTrue(r.contains("Conflicting Content-Length"), r);
        }
        assertEquals(0, sip.metrics().received.get(), "the message never reached the core");
    }

    @Test
    void aRepeatedEqualContentLengthIsStillOneMessage() throws Exception {
        String msg = options("TCP", "equal-1", "Content-Length: 0\r\nContent-Length: 0\r\n", "");
        try (Socket s = new Socket(sip.tcpAddress().getAddress(), sip.tcpAddress().getPort())) {
            s.setSoTimeout((int) WAIT);
            s.getOutputStream().write(msg.getBytes(StandardCharsets.US_ASCII));
            String r = readMessage(s.getInputStream());
            assertTrue(r.contains("Call-ID: equal-1"), r);
            assertTrue(!r.contains("Conflicting"), r);
        }
    }

    private static String readMessage(InputStream in) throws IOException {
        return MalformedInputTest.readMessage(in);
    }
}
