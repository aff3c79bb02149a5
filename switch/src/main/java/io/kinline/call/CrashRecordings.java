package io.kinline.call;

import io.kinline.billing.ReconcileReport;
import io.kinline.evidence.Evidence;
import io.kinline.store.CallRecord;
import io.kinline.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a call's recording lives, and the link from a crashed call's record to it.
 *
 * <p>A connected call records to {@code <recordings>/<UTC day the call started>/<callId>.wav}, and the
 * recorder rewrites the WAV header at every flush (at least every second), so after a SIGKILL the file
 * is a valid WAV holding the talk up to about a second before the crash. The record that
 * {@code Billing.reconcile()} writes for such a call comes from the reservation, which knows nothing of
 * files; {@link #attach} finds the file and puts its path on the record, so the recording can be found
 * (and downloaded through the admin API) like any other, and seals it as evidence.
 */
public final class CrashRecordings {

    private static final Logger log = LoggerFactory.getLogger(CrashRecordings.class);

    private CrashRecordings() {
    }

    /**
     * The recording file of a call that started at {@code startedAt} (UTC day directory, safe file name) with
     * the extension of its format ({@code .wav}, or {@code .wav.enc} encrypted).
     */
    static Path path(Path recordingsDir, Instant startedAt, String callId, String extension) {
        LocalDate day = LocalDate.ofInstant(startedAt, ZoneOffset.UTC);
        return recordingsDir.resolve(day.toString()).resolve(StoreCallServices.safe(callId) + extension);
    }

    /**
     * For every call that {@code report} says was reconciled without a record of its own (billed to its
     * last heartbeat, or released), attaches the recording found on disk to the record reconcile wrote, sealed:
     * the recorder that wrote it died with the switch, so the file is final as the crash left it; it is made
     * read-only and its digest goes into the manifest and the record (unless it was sealed just before the
     * crash). Call it after {@code reconcile()}, before calls are taken. Returns the call IDs that got one.
     */
    public static List<String> attach(Store store, Evidence evidence, ReconcileReport report) {
        List<String> ids = new ArrayList<>(report.billedFromHeartbeat());
        ids.addAll(report.released());
        List<String> attached = new ArrayList<>();
        for (String callId : ids) {
            CallRecord r = store.calls().get(callId).orElse(null);
            if (r == null || r.recording() != null || r.privileged() || r.acceptedAt() == null) {
                continue; // only talked calls are recorded, privileged ones never
            }
            Path wav = find(evidence.recordingsDir(), r.startedAt(), callId);
            if (wav == null) {
                continue;
            }
            String sha = null;
            try {
                sha = evidence.sealRecovered(callId, wav).sha256();
            } catch (IOException | RuntimeException e) {
                log.error("call {}: recording {} left by the crash could not be sealed: {}", callId, wav, e.toString());
            }
            if (store.calls().attachRecording(callId, wav.toString(), sha)) {
                attached.add(callId);
                log.info("call {}: recording {} attached to the record written after the restart", callId, wav);
            }
        }
        return attached;
    }

    /** The call's recording, plain or encrypted; the record's start is the reservation's, the call may have started the day before. */
    private static Path find(Path recordingsDir, Instant startedAt, String callId) {
        for (Instant day : new Instant[] {startedAt, startedAt.minusSeconds(86_400)}) {
            for (String ext : new String[] {".wav", ".wav.enc"}) {
                Path wav = path(recordingsDir, day, callId, ext).toAbsolutePath();
                if (Files.isRegularFile(wav)) {
                    return wav;
                }
            }
        }
        return null;
    }
}
