package io.kinline;

import io.kinline.media.files.PrivateFiles;
import io.kinline.media.rtp.NettyMediaEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps where the media engine's RTP port round robin is, in {@code <dataDir>/rtp-next-port}, so that a node
 * started again after a crash goes on past the ports its calls were using. The phones (and the trunk) of those
 * calls keep streaming to them until they give up, 30 s or more; a new call given such a port would take in a
 * dead call's audio and keys (the cluster fault test saw exactly that: a restarted node's first calls failing
 * their PIN on another handset's keys, and their recordings mixed with a dead call's). Saved every second;
 * at start the round robin skips a quarter of the range past the saved port, room for what was handed out
 * after the last save, and only comes back round to the dead calls' ports after three quarters of the range.
 */
final class RtpPortMemory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RtpPortMemory.class);
    static final String FILE = "rtp-next-port";

    private final Path file;
    private final NettyMediaEngine media;
    private final ScheduledExecutorService saver;
    private volatile int saved = -1;

    private RtpPortMemory(Path file, NettyMediaEngine media) {
        this.file = file;
        this.media = media;
        this.saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rtp-port-memory");
            t.setDaemon(true);
            return t;
        });
    }

    /** Continues the engine's round robin past the saved port, if any, and saves it every second from now on. */
    static RtpPortMemory start(Path dataDir, NettyMediaEngine media) {
        RtpPortMemory m = new RtpPortMemory(dataDir.resolve(FILE), media);
        try {
            if (Files.isRegularFile(m.file)) {
                int port = Integer.parseInt(Files.readString(m.file, StandardCharsets.US_ASCII).trim());
                media.continuePortsAt(port, media.portPairs() / 4);
                log.info("RTP ports continue at {} (the last run stopped near {})", media.nextPort(), port);
            }
        } catch (IOException | NumberFormatException e) {
            log.warn("cannot read {}: RTP ports start anywhere in the range", m.file, e);
        }
        m.save();
        m.saver.scheduleWithFixedDelay(m::save, 1, 1, TimeUnit.SECONDS);
        return m;
    }

    private void save() {
        int next = media.nextPort();
        if (next == saved) {
            return;
        }
        try {
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PrivateFiles.fileAttributes(tmp)); // owner only, like the rest of the data directory
            Files.writeString(tmp, next + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            saved = next;
        } catch (IOException e) {
            log.warn("cannot save the RTP port round robin to {}: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        saver.shutdownNow();
        save();
    }
}
