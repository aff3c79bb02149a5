package io.kinline.admin.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import io.kinline.admin.AdminTestBase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 11, finding 7 and part of 9: log lines cannot be forged through names, token names, paths or
 * SIP From users; names refuse control and bidi characters; failed authentication leaves a
 * rate-limited log line with the source address.
 */
class LogInjectionTest extends AdminTestBase {

    static final List<String> BAD_NAMES = List.of("evil\n12:00:00.000 INFO  [] fake - admin logged in", "nul\u0000byte",
            "bell\u0007", "esc\u001b[31mred", "rtl\u202Eexe.txt", "isolate\u2066x\u2069", "line\u2028sep", "del\u007f",
            "c1\u0085next");

    @Test
    void namesRefuseControlAndBidiCharacters() {
        facility("lif");
        for (String bad : BAD_NAMES) {
            String json = jsonString(bad);
            problem(400, "name", post("/api/tokens", adminToken, "{\"role\":\"investigator\",\"name\":" + json + "}"));
            problem(400, "name", post("/api/inmates", adminToken, "{\"id\":\"li-x\",\"name\":" + json
                    + ",\"facility\":\"lif\",\"pin\":\"4455\"}"));
            problem(400, "name", post("/api/facilities", adminToken, "{\"id\":\"li-f\",\"name\":" + json
                    + ",\"timezone\":\"UTC\"}"));
            problem(400, "label", post("/api/privileged-numbers", adminToken,
                    "{\"number\":\"+13145550111\",\"kind\":\"attorney\",\"label\":" + json + "}"));
        }
        // Names in any script are fine, with their combining marks and joiners.
        ok(201, post("/api/tokens", adminToken, "{\"role\":\"investigator\",\"name\":\"José Ñúñez ‍ محمد 李\"}"));
    }

    @Test
    void theConfiguredLayoutEscapesControlCharactersInMessagesAndTheCallId() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender("text");
        PatternLayoutEncoder enc = (PatternLayoutEncoder) console.getEncoder();
        LoggingEvent e = new LoggingEvent(getClass().getName(), (Logger) LoggerFactory.getLogger("io.kinline.test"),
                Level.INFO, "INVITE from unknown station '{}' at {}: 403",
                null, new Object[] {"1001\r\n12:00:00.000 INFO  [] fake - forged\u001b[2J\u202E", "/api/x\n"});
        e.setMDCPropertyMap(Map.of("callId", "c1\nforged"));
        String line = enc.getLayout().doLayout(e);
        assertEquals(1, line.chars().filter(c -> c == '\n').count(), line);
        assertTrue(line.endsWith("\n"), line);
        assertFalse(line.contains("\r") || line.contains("\u001b") || line.contains("\u202E"), line);
        assertTrue(line.contains("\\n") && line.contains("\\u001b") && line.contains("\\u202e"), line);
    }

    @Test
    void failedAuthenticationIsLoggedRateLimitedWithTheSourceAddress() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> app = new ListAppender<>();
        app.start();
        root.addAppender(app);
        try {
            for (int i = 0; i < 300; i++) {
                get("/api/facilities", "wrong-token-" + i);
            }
            get("/api/facilities", null);
        } finally {
            root.detachAppender(app);
        }
        List<String> lines = app.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("authentication failed")).toList();
        assertFalse(lines.isEmpty(), "no log line for 301 failed authentications");
        assertTrue(lines.size() <= 20, lines.size() + " lines for 301 failures: not rate-limited");
        assertTrue(lines.get(0).contains("127.0.0.1"), lines.get(0));
        assertTrue(lines.stream().noneMatch(l -> l.contains("wrong-token")), "a token guess is never logged");
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
