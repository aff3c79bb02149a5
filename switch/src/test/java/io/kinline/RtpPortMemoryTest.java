package io.kinline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.MediaConfig;
import io.kinline.media.MediaEndpoint;
import io.kinline.media.MediaListener;
import io.kinline.media.prompt.FilePromptLibrary;
import io.kinline.media.rtp.NettyMediaEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started again after a crash gives its new calls RTP ports past those its dead calls had: their phones
 * keep streaming to those ports for a while (the cluster fault test saw a restarted node's first calls take in
 * a dead call's keys and audio when it handed the same ports out again).
 */
class RtpPortMemoryTest {

    @TempDir
    Path dataDir;

    @Test
    void aRestartedNodeDoesNotHandOutThePortsItsDeadCallsHad() throws Exception {
        int base = 33000 - 400; // 200 pairs below the ephemeral range
        MediaConfig cfg = MediaConfig.builder().portRange(base, base + 399).eventLoopThreads(1).build();
        var prompts = FilePromptLibrary.loadFromClasspath(FilePromptLibrary.CLASSPATH_ROOT, "en");
        MediaListener quiet = (endpoint, event) -> { };
        List<Integer> dead = new ArrayList<>();
        try (NettyMediaEngine first = NettyMediaEngine.create(cfg, prompts)) {
            RtpPortMemory memory = RtpPortMemory.start(dataDir, first);
            for (int i = 0; i < 20; i++) {
                MediaEndpoint ep = first.createEndpoint("dead-" + i, "inmate", quiet);
                dead.add(ep.localAddress().getPort()); // these calls die with the node: never closed
            }
            memory.close(); // what the last save (every second) wrote; a crash leaves the file as it was
        }
        int saved = Integer.parseInt(Files.readString(dataDir.resolve(RtpPortMemory.FILE)).trim());
        assertEquals(next(dead.get(dead.size() - 1), base, 200), saved, "the port after the last one handed out");

        try (NettyMediaEngine again = NettyMediaEngine.create(cfg, prompts);
                RtpPortMemory memory = RtpPortMemory.start(dataDir, again)) {
            // A quarter of the range (50 pairs) past the saved port: room for what the dead run handed out after
            // its last save.
            assertEquals(base + 2 * (((saved - base) / 2 + 50) % 200), again.nextPort());
            for (int i = 0; i < 100; i++) { // half the range
                int port = again.createEndpoint("new-" + i, "inmate", quiet).localAddress().getPort();
                assertTrue(!dead.contains(port), "call " + i + " got port " + port + ", a dead call's");
            }
        }
    }

    private static int next(int port, int base, int pairs) {
        return base + 2 * (((port - base) / 2 + 1) % pairs);
    }
}
