package io.kinline.evidence;

import io.kinline.media.record.RecordingCipher;
import io.kinline.store.CallRecord;
import io.kinline.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code kinline verify}: checks every recording against its call record and the signed manifest chain, day by
 * UTC day. For the days asked:
 * <ul>
 *   <li>each manifest line: readable, signed by the public key, chained to the line before it, in its place;</li>
 *   <li>each call record with a recording: the file is there, a valid manifest line seals it, the file hashes to
 *       what that line says (and an encrypted file decrypts to it), and the record's {@code recordingSha256} is
 *       the line's;</li>
 *   <li>each file in the day's recordings directory, and each manifest line: a record names it.</li>
 * </ul>
 * Recordings are found under the day their call started; their lines under the day they were sealed (the same
 * day, the next, or the day of the restart after a crash). Memory is bounded by a day's records and a few
 * days' manifests.
 */
public final class Verifier {

    /** What was looked at. */
    public record Report(int days, int records, int files, int manifestLines, int mismatches) {
    }

    private static final int CACHED_DAYS = 64;

    private final Store store;
    private final Evidence evidence;
    private final SigningKey.PublicKey key;
    private final Path recordingsDir;
    private final Path manifestDir;
    private final List<LocalDate> manifestDays;
    /** Sealing lines with a valid signature, by day, then by call id and path. */
    private final LinkedHashMap<LocalDate, Map<String, Manifest.Line>> sealed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<LocalDate, Map<String, Manifest.Line>> e) {
            return size() > CACHED_DAYS;
        }
    };
    private Consumer<Mismatch> out;
    private int records;
    private int files;
    private int lines;
    private int mismatches;

    /**
     * @param key the public key to check signatures with: the switch's own, or one the auditor holds
     *            ({@code kinline verify --public-key})
     */
    public Verifier(Store store, Evidence evidence, SigningKey.PublicKey key) throws IOException {
        this.store = store;
        this.evidence = evidence;
        this.key = key;
        this.recordingsDir = evidence.recordingsDir();
        this.manifestDir = evidence.manifestDir();
        this.manifestDays = Manifest.days(manifestDir);
    }

    /**
     * Checks the UTC days {@code [from, to]} ({@code null}: from the first day with a manifest or recordings, to
     * today) and reports each mismatch to {@code out}.
     */
    public Report verify(LocalDate from, LocalDate to, Consumer<Mismatch> sink) throws IOException {
        this.out = sink;
        TreeSet<LocalDate> days = new TreeSet<>(manifestDays);
        days.addAll(recordingDays());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate first = from != null ? from : days.isEmpty() ? today : days.first();
        LocalDate last = to != null ? to : today;
        if (from == null) {
            // Records of recordings older than any directory or manifest: their files are gone.
            for (CallRecord r : store.calls().withRecording(null, first.atStartOfDay().toInstant(ZoneOffset.UTC))) {
                checkRecord(r, LocalDate.ofInstant(r.startedAt(), ZoneOffset.UTC), new HashSet<>());
            }
        }
        int n = 0;
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            verifyDay(d);
            n++;
        }
        return new Report(n, records, files, lines, mismatches);
    }

    private void verifyDay(LocalDate day) throws IOException {
        checkManifest(day);
        Set<Path> named = new HashSet<>();
        for (CallRecord r : store.calls().withRecording(day.atStartOfDay().toInstant(ZoneOffset.UTC),
                day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC))) {
            checkRecord(r, day, named);
        }
        Path dir = recordingsDir.resolve(day.toString());
        if (Files.isDirectory(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
                for (Path f : (Iterable<Path>) list.sorted()::iterator) {
                    if (!Files.isRegularFile(f) || f.getFileName().toString().startsWith(".")) {
                        continue;
                    }
                    files++;
                    if (!named.contains(f.toAbsolutePath().normalize())) {
                        Manifest.Line l = findByPath(evidence.relative(f), day);
                        report(Mismatch.Kind.EXTRA, evidence.relative(f), "no call record names this file"
                                + (l == null ? "" : " (sealed for call " + l.entry().callId() + " in manifest "
                                + l.fileDay() + " line " + l.number() + ")"));
                    }
                }
            }
        }
        for (Manifest.Line l : Manifest.read(manifestDir, day)) {
            ManifestEntry e = l.entry();
            if (e == null) {
                continue;
            }
            CallRecord r = store.calls().get(e.callId()).orElse(null);
            if (r == null || r.recording() == null || !e.path().equals(evidence.relative(resolve(r.recording())))) {
                report(Mismatch.Kind.EXTRA, "manifest " + day + " line " + l.number(), "seals " + e.path()
                        + " for call " + e.callId() + ", but no call record names that recording");
            }
        }
    }

    /** Signature, chain and place of every line of a day's manifest. */
    private void checkManifest(LocalDate day) throws IOException {
        String prev = Manifest.lastHashBefore(manifestDir, day);
        for (Manifest.Line l : Manifest.read(manifestDir, day)) {
            lines++;
            String where = "manifest " + day + " line " + l.number();
            if (l.problem() != null) {
                report(Mismatch.Kind.ALTERED, where, "unreadable: " + l.problem());
            } else if (!key.verifies(l.json().getBytes(StandardCharsets.UTF_8), l.signature())) {
                report(Mismatch.Kind.UNSIGNED, where, "the signature does not verify with public key "
                        + key.fingerprint().substring(0, 16));
            } else {
                ManifestEntry e = l.entry();
                List<String> wrong = new ArrayList<>();
                if (!e.prev().equals(prev)) {
                    wrong.add("the chain is broken before this line: a line was removed, inserted or changed (prev "
                            + abbrev(e.prev()) + ", expected " + abbrev(prev) + ")");
                }
                if (!e.day().equals(day) || e.seq() != l.number()) {
                    wrong.add("the line says it is " + e.day() + " line " + e.seq());
                }
                if (!wrong.isEmpty()) {
                    report(Mismatch.Kind.ALTERED, where, String.join("; ", wrong));
                }
            }
            prev = Manifest.sha256Hex(l.raw());
        }
    }

    private void checkRecord(CallRecord r, LocalDate day, Set<Path> named) {
        Path file = resolve(r.recording());
        Path clusterDir = recordingsDir.getParent();
        if (clusterDir != null && file.startsWith(clusterDir) && !file.startsWith(recordingsDir)
                && !file.getParent().equals(clusterDir.resolve(day.toString()))) {
            return; // another node's recording, in its part of the shared directory: that node's verify checks it
        }
        records++;
        named.add(file);
        String rel = evidence.relative(file);
        String who = "call " + r.callId();
        Manifest.Line line;
        try {
            line = findSeal(r.callId(), rel, day);
        } catch (IOException e) {
            report(Mismatch.Kind.UNSIGNED, who, "its manifests cannot be read: " + e.getMessage());
            return;
        }
        ManifestEntry sealedAs = line == null ? null : line.entry();
        if (!Files.isRegularFile(file)) {
            report(Mismatch.Kind.MISSING, who, "recording " + rel + " is not on disk"
                    + (sealedAs == null ? "" : " (sealed in manifest " + line.fileDay() + " line " + line.number() + ")"));
            return;
        }
        RecordingDigest d;
        try {
            d = digest(file);
        } catch (IOException e) {
            report(Mismatch.Kind.ALTERED, who, rel + " cannot be read as a recording: " + e.getMessage());
            return;
        }
        if (sealedAs == null) {
            report(Mismatch.Kind.UNSIGNED, who, rel + " is in no signed manifest line: never sealed, or its line"
                    + " was removed");
        } else if (!sealedAs.fileSha256().equals(d.fileSha256()) || (d.sha256() != null
                && !sealedAs.sha256().equals(d.sha256()))) {
            report(Mismatch.Kind.ALTERED, who, rel + " hashes to " + abbrev(d.fileSha256()) + ", sealed as "
                    + abbrev(sealedAs.fileSha256()) + " in manifest " + line.fileDay() + " line " + line.number());
            return;
        }
        if (r.recordingSha256() == null) {
            if (sealedAs != null) {
                report(Mismatch.Kind.UNSIGNED, who, "the call record carries no recordingSha256");
            }
        } else if (sealedAs != null ? !r.recordingSha256().equals(sealedAs.sha256())
                : d.sha256() != null && !r.recordingSha256().equals(d.sha256())) {
            report(Mismatch.Kind.ALTERED, who, "the record's recordingSha256 " + abbrev(r.recordingSha256())
                    + " is not the recording's " + abbrev(sealedAs != null ? sealedAs.sha256() : d.sha256()));
        }
    }

    /** The digest; for an encrypted file without the key only the stored file's ({@code sha256} null). */
    private RecordingDigest digest(Path file) throws IOException {
        if (evidence.cipher().isEmpty() && RecordingCipher.isEncrypted(file)) {
            return Evidence.storedDigest(file);
        }
        return evidence.digest(file);
    }

    /** The signed line sealing this call's recording: from the day the call started, on. */
    private Manifest.Line findSeal(String callId, String rel, LocalDate from) throws IOException {
        for (LocalDate d : manifestDays) {
            if (d.isBefore(from)) {
                continue;
            }
            Manifest.Line l = sealedOn(d).get(callId + "\n" + rel);
            if (l != null) {
                return l;
            }
        }
        return null;
    }

    private Manifest.Line findByPath(String rel, LocalDate from) throws IOException {
        for (LocalDate d : manifestDays) {
            if (!d.isBefore(from)) {
                for (Manifest.Line l : sealedOn(d).values()) {
                    if (l.entry().path().equals(rel)) {
                        return l;
                    }
                }
            }
        }
        return null;
    }

    private Map<String, Manifest.Line> sealedOn(LocalDate day) throws IOException {
        Map<String, Manifest.Line> m = sealed.get(day);
        if (m == null) {
            m = new HashMap<>();
            for (Manifest.Line l : Manifest.read(manifestDir, day)) {
                if (l.entry() != null && key.verifies(l.json().getBytes(StandardCharsets.UTF_8), l.signature())) {
                    m.put(l.entry().callId() + "\n" + l.entry().path(), l);
                }
            }
            sealed.put(day, m);
        }
        return m;
    }

    private List<LocalDate> recordingDays() throws IOException {
        List<LocalDate> out = new ArrayList<>();
        if (!Files.isDirectory(recordingsDir)) {
            return out;
        }
        try (Stream<Path> list = Files.list(recordingsDir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                try {
                    out.add(LocalDate.parse(p.getFileName().toString()));
                } catch (DateTimeParseException notADay) {
                    // not a day directory
                }
            }
        }
        return out;
    }

    private Path resolve(String recording) {
        return recordingsDir.resolve(recording).toAbsolutePath().normalize();
    }

    private void report(Mismatch.Kind kind, String subject, String detail) {
        mismatches++;
        out.accept(new Mismatch(kind, subject, detail));
    }

    private static String abbrev(String hex) {
        return hex == null ? "none" : hex.length() > 16 ? hex.substring(0, 16) + "…" : hex;
    }
}
