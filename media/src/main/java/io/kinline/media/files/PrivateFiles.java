package io.kinline.media.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Files only the switch's user can read: directories 0700, files 0600, closed evidence 0400. Recordings,
 * the database, the secrets and the admin token all go through here.
 *
 * <p>A JVM cannot set its umask, and libraries (H2, the JDK) create files with whatever umask the process
 * was started with, usually 022. So permissions are set explicitly on everything Kinline creates: at
 * creation where the API allows it (no window in which a file is world-readable), and again right after
 * (the umask can only remove bits from the creation mode, so an odd umask such as 077 on the directory
 * bits must not leave a file unreadable to its owner either). The launcher and the systemd unit set
 * umask 077 as well, for what libraries create ({@code docs/SECURITY.md}). On a file system without POSIX
 * permissions (Windows) these calls do nothing.
 */
public final class PrivateFiles {

    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--------");

    private PrivateFiles() {
    }

    /** Whether {@code p}'s file system has POSIX permissions. */
    public static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** For {@code FileChannel.open} / {@code Files.createFile}: created 0600, never briefly readable by others. */
    public static FileAttribute<?>[] fileAttributes(Path p) {
        return posix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Creates {@code dir} and missing parents 0700; sets 0700 on {@code dir} whether it was new or not. */
    public static Path directory(Path dir) throws IOException {
        if (posix(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            Files.setPosixFilePermissions(dir, DIRECTORY);
        } else {
            Files.createDirectories(dir);
        }
        return dir;
    }

    /** Creates {@code dir} and missing parents 0700, leaving the mode of a directory that exists alone. */
    public static Path createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        if (!posix(dir)) {
            return Files.createDirectories(dir);
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        Files.setPosixFilePermissions(dir, DIRECTORY);
        return dir;
    }

    /** Sets 0600 on an existing file. */
    public static void restrict(Path file) throws IOException {
        set(file, FILE);
    }

    /**
     * Sets 0400: a closed recording, which nothing should change again. Read-only guards against accidents and
     * other accounts; it does not stop the owner or root, which is why closed recordings are also sealed in a
     * signed manifest (docs/EVIDENCE.md).
     */
    public static void readOnly(Path file) throws IOException {
        if (posix(file)) {
            Files.setPosixFilePermissions(file, READ_ONLY);
        } else if (!file.toFile().setWritable(false, false)) {
            throw new IOException("cannot make " + file + " read-only");
        }
    }

    /**
     * Whether the file is closed for writing. Asked of the mode bits, not {@link Files#isWritable}: root may
     * write anything, so the access check says nothing about whether the recorder has finished.
     */
    public static boolean isReadOnly(Path file) throws IOException {
        if (posix(file)) {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return !p.contains(PosixFilePermission.OWNER_WRITE) && !p.contains(PosixFilePermission.GROUP_WRITE)
                    && !p.contains(PosixFilePermission.OTHERS_WRITE);
        }
        return !file.toFile().canWrite();
    }

    private static void set(Path p, Set<PosixFilePermission> perms) throws IOException {
        if (posix(p)) {
            Files.setPosixFilePermissions(p, perms);
        }
    }

    /**
     * Writes a new file of {@code bytes} that is 0600 from its creation; fails if it exists (two processes
     * starting at once must not write different secrets).
     *
     * @throws FileAlreadyExistsException if {@code file} exists
     */
    public static void writeNew(Path file, byte[] bytes) throws IOException {
        Files.write(Files.createFile(file, fileAttributes(file)), bytes, StandardOpenOption.WRITE);
        restrict(file);
    }

    /**
     * The mode of {@code p} as {@code rwxr-xr-x} when group or others have any permission on it, else empty
     * (also empty off POSIX).
     */
    public static Optional<String> openToOthers(Path p) throws IOException {
        if (!posix(p)) {
            return Optional.empty();
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        for (PosixFilePermission x : perms) {
            if (!x.name().startsWith("OWNER_")) {
                return Optional.of(PosixFilePermissions.toString(perms));
            }
        }
        return Optional.empty();
    }

    /**
     * The process's umask as Linux reports it ({@code Umask:} in /proc/self/status, kernel 4.7 and later), or
     * empty where it cannot be read.
     */
    public static Optional<Integer> umask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Optional.of(Integer.parseInt(line.substring(6).strip(), 8));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc
        }
        return Optional.empty();
    }
}
