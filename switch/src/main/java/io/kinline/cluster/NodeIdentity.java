package io.kinline.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import io.kinline.media.files.PrivateFiles;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who this node is: its id ({@code cluster.nodeId}, or one made once for its data directory) and the data
 * directory's own random id, kept in {@code <dataDir>/node-id}, and a lock on {@code <dataDir>/node.lock}
 * held while the node runs.
 *
 * <p>The id marks the rows of the calls the node carries; its startup reconcile finishes only those. So the
 * id must stay with the data directory (a restarted node must find its own calls) and must never be used by
 * two running nodes (each would close the other's live calls). The file ties the id to the directory: a
 * configuration that names another id for a directory that already has one is refused. The lock refuses a
 * second process on the same directory. {@link ClusterNodes} refuses the same id from another directory
 * while its owner runs.
 */
public final class NodeIdentity implements AutoCloseable {

    /** Letters, digits, '.', '_' and '-', 1 to 64, starting with a letter or digit. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final String FILE = "node-id";
    static final String LOCK = "node.lock";

    private final String nodeId;
    private final String dirId;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private NodeIdentity(String nodeId, String dirId, FileChannel lockChannel, FileLock lock) {
        this.nodeId = nodeId;
        this.dirId = dirId;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Locks the data directory and reads (or, on first start, writes) its node id.
     *
     * @param configured {@code cluster.nodeId}, or null to use the directory's id (made as {@code node-<8 hex>})
     * @throws ClusterException if another process holds the directory, or it belongs to another node id
     */
    public static NodeIdentity open(Path dataDir, String configured) {
        if (configured != null && !ID.matcher(configured).matches()) {
            throw new ClusterException("cluster.nodeId '" + configured + "' is not a node id: 1-64 letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit");
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(dataDir);
            Path lockFile = dataDir.resolve(LOCK);
            ch = FileChannel.open(lockFile, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PrivateFiles.fileAttributes(lockFile)); // owner only, like everything in the data directory
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new ClusterException("another Kinline process is running on the data directory " + dataDir
                        + " (it holds " + dataDir.resolve(LOCK) + "); each node needs its own data directory");
            }
            String[] idAndDir = readOrCreate(dataDir.resolve(FILE), configured);
            if (configured != null && !configured.equals(idAndDir[0])) {
                lock.release();
                throw new ClusterException("the data directory " + dataDir + " belongs to node '" + idAndDir[0]
                        + "' (" + dataDir.resolve(FILE) + "), but cluster.nodeId says '" + configured + "'. A node keeps "
                        + "its id for as long as it has calls to reconcile: set cluster.nodeId back to '" + idAndDir[0]
                        + "', or, to retire that node, run `kinline reconcile --node " + idAndDir[0]
                        + "` and give the new node an empty data directory");
            }
            return new NodeIdentity(idAndDir[0], idAndDir[1], ch, lock);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new ClusterException("cannot read or write the node id in " + dataDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static String[] readOrCreate(Path file, String configured) throws IOException {
        if (!Files.exists(file)) {
            String id = configured != null ? configured : "node-" + HexFormat.of().formatHex(random4());
            String dir = UUID.randomUUID().toString();
            try {
                Files.createFile(file, PrivateFiles.fileAttributes(file)); // 0600 from the start
                Files.writeString(file, id + "\n" + dir + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException raced) {
                // cannot happen under the lock; read what is there
            }
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !ID.matcher(lines.get(0).trim()).matches() || lines.get(1).isBlank()) {
            throw new IOException(file + " is damaged: it should hold the node id and the directory id, one a line");
        }
        return new String[] {lines.get(0).trim(), lines.get(1).trim()};
    }

    /** The node id a data directory was given ({@code <dataDir>/node-id}), if it has one; takes no lock. */
    public static java.util.Optional<String> read(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve(FILE), StandardCharsets.UTF_8);
            return lines.isEmpty() || !ID.matcher(lines.get(0).trim()).matches() ? java.util.Optional.empty()
                    : java.util.Optional.of(lines.get(0).trim());
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static byte[] random4() {
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** The node's id, as written on its calls' rows. */
    public String nodeId() {
        return nodeId;
    }

    /** The data directory's random id: tells a restart of this node from another node using its id. */
    public String dirId() {
        return dirId;
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // the channel's close releases it too
        }
        closeQuietly(lockChannel);
    }
}
