package io.kinline.evidence;

import io.kinline.media.files.PrivateFiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-day, append-only, hash-chained and signed manifest of sealed recordings:
 * {@code <dataDir>/evidence/<YYYY-MM-DD>.manifest}, one line per recording sealed that UTC day. A line is a JSON
 * object, a TAB and the base64 Ed25519 signature of the JSON's bytes; the JSON's {@code prev} is the SHA-256 of
 * the line before it (across days: the first line of a day follows the last line of the previous manifest), so
 * removing, changing or reordering any line breaks the chain after it. Every append is forced to disk before
 * the call's record names the seal. The format, and how to check it with {@code sha256sum} and
 * {@code openssl}, is in docs/EVIDENCE.md.
 *
 * <p>One writer per data directory; {@link #append} is synchronized (one line per recorded call).
 */
public final class Manifest {

    private static final Logger log = LoggerFactory.getLogger(Manifest.class);
    static final String SUFFIX = ".manifest";
    static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final SigningKey key;
    private final Clock clock;
    private LocalDate day;
    private long seq;
    private String lastHash = GENESIS;

    private Manifest(Path dir, SigningKey key, Clock clock) {
        this.dir = dir;
        this.key = key;
        this.clock = clock;
    }

    /** Opens the manifests in {@code dir}, continuing the chain from the newest line. */
    static Manifest open(Path dir, SigningKey key, Clock clock) throws IOException {
        PrivateFiles.directory(dir);
        Manifest m = new Manifest(dir, key, clock);
        List<LocalDate> days = days(dir);
        if (!days.isEmpty()) {
            LocalDate newest = days.get(days.size() - 1);
            Path file = file(dir, newest);
            repairTornTail(file);
            List<String> lines = rawLines(file);
            m.day = newest;
            m.seq = lines.size();
            m.lastHash = lines.isEmpty() ? lastHashBefore(dir, newest) : sha256Hex(lines.get(lines.size() - 1));
        }
        return m;
    }

    /** The manifest file of a UTC day. */
    static Path file(Path dir, LocalDate day) {
        return dir.resolve(day + SUFFIX);
    }

    /** The days that have a manifest, oldest first. */
    static List<LocalDate> days(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<LocalDate> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(SUFFIX)) {
                    try {
                        out.add(LocalDate.parse(n.substring(0, n.length() - SUFFIX.length())));
                    } catch (java.time.format.DateTimeParseException notOurs) {
                        // not a manifest
                    }
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Hash of the last line of the newest manifest before {@code day}, or the genesis value. */
    static String lastHashBefore(Path dir, LocalDate day) throws IOException {
        List<LocalDate> days = days(dir);
        for (int i = days.size() - 1; i >= 0; i--) {
            if (days.get(i).isBefore(day)) {
                List<String> lines = rawLines(file(dir, days.get(i)));
                if (!lines.isEmpty()) {
                    return sha256Hex(lines.get(lines.size() - 1));
                }
            }
        }
        return GENESIS;
    }

    /**
     * Appends the line of a sealed recording and forces it to disk. The day is the UTC day of the seal; the
     * chain continues from the last line written, whatever its day.
     */
    synchronized ManifestEntry append(String callId, String path, RecordingDigest d) throws IOException {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (day == null || today.isAfter(day)) {
            day = today;
            seq = 0;
        }
        ManifestEntry e = new ManifestEntry(day, seq + 1, now, callId, path, d.bytes(), d.sha256(), d.fileBytes(),
                d.fileSha256(), d.encrypted(), key.publicKey().fingerprint(), lastHash);
        String json = json(e);
        String line = json + "\t" + Base64.getEncoder().encodeToString(key.sign(json.getBytes(StandardCharsets.UTF_8)));
        Path file = file(dir, day);
        boolean created = !Files.exists(file);
        try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND), PrivateFiles.fileAttributes(file))) {
            ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        if (created) {
            forceDirectory(dir); // the new file's name must survive a crash as well as its line
        }
        seq++;
        lastHash = sha256Hex(line);
        return e;
    }

    /** The entry for this call and path in the manifests of {@code days}, if sealed there. */
    Optional<ManifestEntry> find(String callId, String path, List<LocalDate> days) throws IOException {
        for (LocalDate d : days) {
            for (Line l : read(dir, d)) {
                if (l.entry() != null && l.entry().callId().equals(callId) && l.entry().path().equals(path)) {
                    return Optional.of(l.entry());
                }
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- the line format

    static String json(ManifestEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", ManifestEntry.VERSION);
        m.put("day", e.day().toString());
        m.put("seq", e.seq());
        m.put("at", e.at().toString());
        m.put("callId", e.callId());
        m.put("path", e.path());
        m.put("bytes", e.bytes());
        m.put("sha256", e.sha256());
        m.put("fileBytes", e.fileBytes());
        m.put("fileSha256", e.fileSha256());
        m.put("encrypted", e.encrypted());
        m.put("key", e.key());
        m.put("prev", e.prev());
        try {
            return JSON.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * A line of a manifest file as read back: its text, the signed JSON and the signature, and the entry, or
     * the reason it could not be read.
     */
    record Line(LocalDate fileDay, int number, String raw, String json, byte[] signature, ManifestEntry entry,
                String problem) {
    }

    /** The lines of a day's manifest (none if it has no file). */
    static List<Line> read(Path dir, LocalDate day) throws IOException {
        Path file = file(dir, day);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Line> out = new ArrayList<>();
        int n = 0;
        for (String raw : rawLines(file)) {
            n++;
            out.add(parse(day, n, raw));
        }
        return out;
    }

    static Line parse(LocalDate day, int n, String raw) {
        int tab = raw.indexOf('\t');
        if (tab < 0 || raw.indexOf('\t', tab + 1) >= 0) {
            return new Line(day, n, raw, null, null, null, "not a JSON object, a TAB and a signature");
        }
        String json = raw.substring(0, tab);
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(raw.substring(tab + 1));
        } catch (IllegalArgumentException e) {
            return new Line(day, n, raw, json, null, null, "the signature is not base64");
        }
        try {
            JsonNode o = JSON.readTree(json);
            if (o == null || !o.isObject() || o.path("v").asInt() != ManifestEntry.VERSION) {
                return new Line(day, n, raw, json, sig, null, "not a version 1 entry");
            }
            ManifestEntry e = new ManifestEntry(LocalDate.parse(text(o, "day")), o.path("seq").asLong(),
                    Instant.parse(text(o, "at")), text(o, "callId"), text(o, "path"), o.path("bytes").asLong(),
                    text(o, "sha256"), o.path("fileBytes").asLong(), text(o, "fileSha256"),
                    o.path("encrypted").asBoolean(), text(o, "key"), text(o, "prev"));
            return new Line(day, n, raw, json, sig, e, null);
        } catch (IOException | RuntimeException e) {
            return new Line(day, n, raw, json, sig, null, "unreadable entry: " + e.getMessage());
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("no " + field);
        }
        return v.asText();
    }

    /** The file's lines without their newlines (UTF-8). */
    static List<String> rawLines(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start)); // an unterminated last line (torn): read as it is
        }
        return out;
    }

    /**
     * A crash while appending can leave a last line without its newline. That line was never acknowledged (the
     * record that would name it was not written), so it is cut off, and said so.
     */
    private static void repairTornTail(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        if (b.length == 0 || b[b.length - 1] == '\n') {
            return;
        }
        int keep = b.length;
        while (keep > 0 && b[keep - 1] != '\n') {
            keep--;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(keep);
            ch.force(true);
        }
        log.warn("manifest {}: removed an unfinished last line of {} bytes (the process died while writing it)",
                file, b.length - keep);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can force a directory; the file itself was forced
        }
    }

    static String sha256Hex(String line) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(line.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
