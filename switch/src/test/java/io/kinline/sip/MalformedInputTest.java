package io.kinline.sip;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static io.kinline.sip.SipTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Sends each message of the malformed corpus (src/test/resources/sip/malformed) raw over UDP and TCP and checks
 * the answer listed in expectations.txt; after each the stack must still answer OPTIONS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedInputTest {
    private static final int SILENCE_MS = 700;
    private SipServer sip;

    @BeforeAll
    void start() {
        sip = new SipServer(config().maxBody(8192).build(), call -> call.reject(486, "Busy Here"));
        sip.start();
    }

    @AfterAll
    void stop() {
        sip.close();
    }

    static Stream<Arguments> corpus() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(
                MalformedInputTest.class.getResourceAsStream("/sip/malformed/expectations.txt"))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] p = line.split("\\|");
                out.add(Arguments.of(p[0].trim(), p[1].trim(), p[2].trim()));
            }
        }
        assertTrue(out.size() >= 25, "corpus has at least 25 messages");
        return out.stream();
    }

    static byte[] load(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(
                MalformedInputTest.class.getResourceAsStream("/sip/malformed/" + name), name)) {
            byte[] b = in.readAllBytes();
            if (name.endsWith(".bin")) {
                return b;
            }
            // unique branch and Call-ID per send; both placeholders have the same length as their values
            String s = new String(b, StandardCharsets.ISO_8859_1)
                    .replace("$BRANCH", Long.toHexString(ThreadLocalRandom.current().nextLong()))
                    .replace("$CALLID", "c" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Order(1)
    void malformedMessage(String file, String udpExpect, String tcpExpect) throws Exception {
        long droppedBefore = sip.metrics().malformedDropped.get() + sip.metrics().strayResponses.get()
                + sip.metrics().keepAlives.get();
        checkUdp(load(file), udpExpect, file);
        if (udpExpect.equals("SILENT")) {
            await("drop counted for " + file, WAIT, () -> sip.metrics().malformedDropped.get()
                    + sip.metrics().strayResponses.get() + sip.metrics().keepAlives.get() > droppedBefore);
        }
        assertEquals(200, optionsOverUdp(), "still answers OPTIONS over UDP after " + file);
        checkTcp(load(file), tcpExpect, file);
        assertEquals(200, optionsOverTcp(), "still answers OPTIONS over TCP after " + file);
    }

    @Test
    @Order(2)
    void noTransactionsOrCallsLeft() throws Exception {
        await("transactions drained", 4 * WAIT, () -> sip.transactionCount() == 0);
        assertEquals(0, sip.dialogCount());
        assertTrue(sip.metrics().malformedDropped.get() > 0);
        assertTrue(sip.metrics().badRequestSent.get() > 0);
        assertTrue(sip.metrics().tooLargeSent.get() > 0);
    }

    private void checkUdp(byte[] msg, String expect, String file) throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.send(new DatagramPacket(msg, msg.length, sip.udpAddress()));
            if (expect.equals("SILENT")) {
                s.setSoTimeout(SILENCE_MS);
                DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
                assertThrows(SocketTimeoutException.class, () -> s.receive(p),
                        () -> file + ": expected silence over UDP, got "
                                + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
                return;
            }
            s.setSoTimeout((int) WAIT);
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            s.receive(p);
            assertStatus(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8), expect, file + "/udp");
        }
    }

    private void checkTcp(byte[] msg, String expect, String file) throws Exception {
        try (Socket s = new Socket(sip.tcpAddress().getAddress(), sip.tcpAddress().getPort())) {
            s.getOutputStream().write(msg);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            switch (expect) {
                case "SILENT" -> {
                    s.setSoTimeout(SILENCE_MS);
                    try {
                        int b = in.read();
                        assertEquals(-1, b, file + ": expected silence over TCP");
                    } catch (SocketTimeoutException expected) {
                        // silence
                    }
                }
                case "CLOSE" -> {
                    s.setSoTimeout((int) WAIT);
                    try {
                        while (in.read() != -1) {
                            // drain whatever comes before the close
                        }
                    } catch (IOException reset) {
                        // a reset is a close too
                    }
                }
                case "PONG" -> {
                    s.setSoTimeout((int) WAIT);
                    assertEquals('\r', in.read());
                    assertEquals('\n', in.read());
                    s.setSoTimeout(SILENCE_MS);
                    assertThrows(SocketTimeoutException.class, in::read, "a single CRLF pong");
                }
                default -> {
                    s.setSoTimeout((int) WAIT);
                    assertStatus(readMessage(in), expect, file + "/tcp");
                }
            }
        }
    }

    private static void assertStatus(String response, String expect, String what) {
        String statusLine = response.substring(0, Math.max(0, response.indexOf("\r\n")));
        String[] e = expect.split(":", 2);
        assertTrue(statusLine.startsWith("SIP/2.0 " + e[0] + " "), what + ": expected " + expect + ", got "
                + statusLine);
        if (e.length > 1) {
            assertTrue(statusLine.contains(e[1]), what + ": reason should name the problem (" + e[1] + "): "
                    + statusLine);
        }
    }

    static String readMessage(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before a full message: " + buf);
            }
            buf.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (b == '\r' ? 1 : 0);
        }
        String head = buf.toString(StandardCharsets.UTF_8);
        int cl = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                cl = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(cl), StandardCharsets.UTF_8);
    }

    static byte[] options(String transport) {
        String branch = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return ("OPTIONS sip:kinline@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " 127.0.0.1:5999;branch=z9hG4bK" + branch + ";rport\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:kinline@127.0.0.1>\r\n"
                + "Call-ID: opt" + branch + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private int optionsOverUdp() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] m = options("UDP");
            s.send(new DatagramPacket(m, m.length, sip.udpAddress()));
            s.setSoTimeout((int) WAIT);
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            s.receive(p);
            String r = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            assertTrue(r.contains("Allow: "), r);
            return Integer.parseInt(r.substring(8, 11));
        }
    }

    private int optionsOverTcp() throws Exception {
        try (Socket s = new Socket(sip.tcpAddress().getAddress(), sip.tcpAddress().getPort())) {
            s.getOutputStream().write(options("TCP"));
            s.setSoTimeout((int) WAIT);
            String r = readMessage(s.getInputStream());
            return Integer.parseInt(r.substring(8, 11));
        }
    }
}
