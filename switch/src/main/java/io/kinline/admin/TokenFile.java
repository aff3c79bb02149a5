package io.kinline.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** The owner-only token file. */
final class TokenFile {

    static final String FILE_NAME = "admin-token";

    private TokenFile() {
    }

    /**
     * Writes the secret to {@code file}, created with mode 600 from the start (never briefly world-readable).
     * Fails if the file exists: a bootstrap token is never silently replaced.
     */
    static void write(Path file, String secret) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        boolean posix = Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix");
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rw-------");
        if (posix) {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(perms);
            Files.createFile(file, attr);
        } else {
            Files.createFile(file);
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write((secret + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        if (posix) {
            // createFile's mode is filtered by the umask; set it explicitly as well.
            Files.setPosixFilePermissions(file, perms);
        }
    }

    static boolean exists(Path file) {
        return Files.exists(file);
    }

}
