package io.kinline.log.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinline.KinlineSwitch;
import io.kinline.config.KinlineConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * With {@code logFormat: json} every event is one valid JSON object on one line, whatever a peer put in the
 * values logged: a From user and a Call-ID with quotes, backslashes, braces, bidi overrides; a logged value with
 * CR LF and a forged JSON object. The call id is a field (under {@code mdc}), escaped as in text logs.
 */
class JsonLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void hostileValuesStayInOneJsonLine() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LogFormat.use(LogFormat.JSON); // the console appender starts now, on the captured stream
            MDC.put("callId", "c\"1\\\u202e");
            LoggerFactory.getLogger("io.kinline.test").warn("From user {}",
                    "evil\"\\\r\n{\"level\":\"INFO\",\"forged\":true}\u202eadmin");
            MDC.remove("callId");

            KinlineConfig cfg = new KinlineConfig();
            cfg.store.dataDir = dir.toString();
            cfg.sip.port = 0;
            cfg.admin.port = 0;
            try (KinlineSwitch node = new KinlineSwitch(cfg).start();
                 DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                String callId = "x\"y\\z{}<>@evil";
                String local = "127.0.0.1:" + s.getLocalPort();
                String invite = "INVITE sip:9999@127.0.0.1 SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK-json1\r\n"
                        + "Max-Forwards: 70\r\n"
                        + "From: \"\\\"}\" <sip:%E2%80%AEevil%22%5C%0D%0A@127.0.0.1:5999>;tag=t1\r\n"
                        + "To: <sip:9999@127.0.0.1>\r\n"
                        + "Call-ID: " + callId + "\r\n"
                        + "CSeq: 1 INVITE\r\n"
                        + "Contact: <sip:x@127.0.0.1:5999>\r\n"
                        + "Content-Length: 0\r\n\r\n";
                byte[] b = invite.getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(b, b.length, node.sipUdpAddress()));
                s.setSoTimeout(5000);
                byte[] buf = new byte[4096];
                String status;
                do { // provisional responses first; 403 Unknown Station: the warning was logged before it
                    DatagramPacket answer = new DatagramPacket(buf, buf.length);
                    s.receive(answer);
                    status = new String(buf, 0, answer.getLength(), StandardCharsets.UTF_8).substring(0, 11);
                } while (status.startsWith("SIP/2.0 1"));
                assertEquals("SIP/2.0 403", status);
            }
        } finally {
            LogFormat.use(LogFormat.TEXT);
            System.setErr(err);
        }

        List<JsonNode> events = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                events.add(JSON.readTree(line)); // throws if any line is not one whole JSON object
            }
        }
        JsonNode forged = events.stream().filter(e -> e.path("formattedMessage").asText().startsWith("From user"))
                .findFirst().orElseThrow();
        String msg = forged.get("formattedMessage").asText();
        assertFalse(msg.contains("\r") || msg.contains("\n") || msg.contains("\u202e"), msg);
        assertTrue(msg.contains("{\"level\":\"INFO\",\"forged\":true}"), "the value is kept, inside the message");
        assertEquals("WARN", forged.get("level").asText());
        assertFalse(forged.path("mdc").path("callId").asText().contains("\u202e"));
        assertTrue(events.stream().noneMatch(e -> e.path("forged").asBoolean()), "no forged event");

        JsonNode unknown = events.stream()
                .filter(e -> e.path("formattedMessage").asText().contains("unknown station"))
                .findFirst().orElseThrow(() -> new AssertionError("no unknown-station event in " + events));
        // The switch's own call id (not the peer's Call-ID) is in the MDC of every line of the call: a field.
        assertTrue(unknown.path("mdc").path("callId").asText().matches("[0-9a-f-]{36}"), unknown.toString());
        assertFalse(unknown.get("formattedMessage").asText().contains("\u202e"));
    }
}
