package io.kinline.demo;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run the demo.
 *
 * @param target          SIP address of a running switch, or null to start one in-process
 * @param calledPartyPort UDP port the called party's phone listens on (where the switch's trunk points);
 *                        0 = any free port (in-process only)
 * @param admin           admin API {@code host:port} of the running switch (with {@code target})
 * @param token           admin token, or null to read {@code <dataDir>/admin-token}
 * @param dataDir         the switch's data directory (database, recordings, admin token)
 * @param talkSeconds     how long the first call talks before the handset hangs up
 */
public record DemoOptions(InetSocketAddress target, int calledPartyPort, String admin, String token, Path dataDir,
                          int talkSeconds) {

    public static final int DEFAULT_TALK_SECONDS = 10;

    public DemoOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        if (talkSeconds < 2 || talkSeconds > 60) {
            throw new IllegalArgumentException("talk time must be 2 to 60 seconds, not " + talkSeconds);
        }
        if (calledPartyPort < 0 || calledPartyPort > 65535) {
            throw new IllegalArgumentException("called party port out of range: " + calledPartyPort);
        }
    }

    /** An in-process switch on free ports with its data in {@code dataDir}. */
    public static DemoOptions inProcess(Path dataDir, int talkSeconds) {
        return new DemoOptions(null, 0, null, null, dataDir, talkSeconds);
    }
}
