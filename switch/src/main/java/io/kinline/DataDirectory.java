package io.kinline;

import io.kinline.media.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory at start: the database, recordings, recorded names, secrets and the admin token live
 * here, readable by the switch's user only. New directories are made 0700 (the ones Kinline owns are set
 * to 0700 at every start, whatever an earlier version left); a data directory that others may enter, or
 * a umask that lets libraries create readable files, is worth a warning: PostgreSQL refuses to start
 * with a data directory open to others, Kinline says so and tightens what is its own.
 */
final class DataDirectory {

    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

    private DataDirectory() {
    }

    /** Prepares {@code dir}; returns the recordings directory. */
    static Path prepare(Path dir) throws IOException {
        boolean existed = Files.isDirectory(dir);
        PrivateFiles.createDirectories(dir);
        Optional<String> open = PrivateFiles.openToOthers(dir);
        if (open.isPresent()) {
            log.warn("data directory {} is {}: other users may list it{}; chmod 700 {} (what Kinline creates "
                    + "inside is the switch user's only either way)", dir, open.get(),
                    existed ? "" : " (its parent's default)", dir);
        }
        PrivateFiles.umask().filter(m -> (m & 077) != 077).ifPresent(m -> log.warn(
                "umask is {}: files that libraries create (H2 traces, JVM crash logs) may be readable by "
                        + "others; start Kinline with umask 077 (the kinline launcher and the systemd unit in "
                        + "docs/SECURITY.md do)", String.format("%04o", m)));
        Path recordings = PrivateFiles.directory(dir.resolve("recordings"));
        for (String own : new String[] {"db", "names", "secrets"}) {
            Path p = dir.resolve(own);
            if (Files.isDirectory(p)) {
                PrivateFiles.directory(p);
            }
        }
        return recordings;
    }
}
