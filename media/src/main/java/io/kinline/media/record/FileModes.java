package io.kinline.media.record;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The file modes of recordings: created owner-only (600) and left read-only (400) once closed. Read-only
 * guards against accidents and other accounts; it does not stop the owner or root, which is why every closed
 * recording is also hashed into a signed manifest (see docs/EVIDENCE.md).
 */
public final class FileModes {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_R = PosixFilePermissions.fromString("r--------");

    private FileModes() {
    }

    /** The attribute that creates a file owner read/write only (none on non-POSIX file systems). */
    public static FileAttribute<?>[] ownerOnly() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_RW)} : new FileAttribute<?>[0];
    }

    /** Leaves a closed recording readable by its owner only, writable by no one. */
    public static void readOnly(Path file) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(file, OWNER_R);
        } else if (!file.toFile().setWritable(false, false)) {
            throw new IOException("cannot make " + file + " read-only");
        }
    }

    /**
     * Whether the file is closed for writing. Asked of the mode bits, not {@link Files#isWritable}: root may
     * write anything, so the access check says nothing about whether the recorder has finished.
     */
    public static boolean isReadOnly(Path file) throws IOException {
        if (POSIX) {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return !p.contains(PosixFilePermission.OWNER_WRITE) && !p.contains(PosixFilePermission.GROUP_WRITE)
                    && !p.contains(PosixFilePermission.OTHERS_WRITE);
        }
        return !file.toFile().canWrite();
    }
}
