package io.kinline.evidence;

import io.kinline.media.files.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Keys of the evidence chain in the data directory's secrets directory ({@code <dataDir>/secrets}, mode 700):
 * each file is created once, owner-only (mode 600), complete or not at all, and never replaced.
 */
final class SecretFiles {

    private SecretFiles() {
    }

    /** {@code <dataDir>/secrets}, created owner-only (0700) if missing, and made owner-only if it was not. */
    static Path dir(Path dataDir) throws IOException {
        return PrivateFiles.directory(dataDir.resolve("secrets"));
    }

    /**
     * The bytes of {@code dir/name}, created from {@code make} on first use. The new file is written and forced
     * under a temporary name, then hard-linked into place, which fails if another process made it first (then
     * theirs is used): never half a key, never a key replaced.
     */
    static byte[] readOrCreate(Path dir, String name, Supplier<byte[]> make) throws IOException {
        Path file = dir.resolve(name);
        if (Files.exists(file)) {
            return Files.readAllBytes(file);
        }
        Path tmp = dir.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PrivateFiles.fileAttributes(file))) {
            ch.write(java.nio.ByteBuffer.wrap(make.get()));
            ch.force(true);
        }
        try {
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException raced) {
            // another process created it first: use theirs
        } finally {
            Files.deleteIfExists(tmp);
        }
        return Files.readAllBytes(file);
    }
}
