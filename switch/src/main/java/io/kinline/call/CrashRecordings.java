package io.kinline.call;

import io.kinline.billing.ReconcileReport;
import io.kinline.store.CallRecord;
import io.kinline.store.Store;
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
 * (and downloaded through the admin API) like any other.
 */
public final class CrashRecordings {

    private static final Logger log = LoggerFactory.getLogger(CrashRecordings.class);

    private CrashRecordings() {
    }

    /** The recording file of a call that started at {@code startedAt} (UTC day directory, safe file name). */
    static Path path(Path recordingsDir, Instant startedAt, String callId) {
        LocalDate day = LocalDate.ofInstant(startedAt, ZoneOffset.UTC);
        return recordingsDir.resolve(day.toString()).resolve(StoreCallServices.safe(callId) + ".wav");
    }

    /**
     * For every call that {@code report} says was reconciled without a record of its own (billed to its
     * last heartbeat, or released), attaches the recording found on disk to the record reconcile wrote.
     * Call it after {@code reconcile()}, before calls are taken. Returns the call IDs that got one.
     */
    public static List<String> attach(Store store, Path recordingsDir, ReconcileReport report) {
        List<String> ids = new ArrayList<>(report.billedFromHeartbeat());
        ids.addAll(report.released());
        List<String> attached = new ArrayList<>();
        for (String callId : ids) {
            CallRecord r = store.calls().get(callId).orElse(null);
            if (r == null || r.recording() != null || r.privileged() || r.acceptedAt() == null) {
                continue; // only talked calls are recorded, privileged ones never
            }
            // The record's start is the reservation's (after the IVR); the call may have started the day before.
            for (Instant day : new Instant[] {r.startedAt(), r.startedAt().minusSeconds(86_400)}) {
                Path wav = path(recordingsDir, day, callId).toAbsolutePath();
                if (Files.isRegularFile(wav)) {
                    if (store.calls().attachRecording(callId, wav.toString())) {
                        attached.add(callId);
                        log.info("call {}: recording {} attached to the record written after the restart", callId, wav);
                    }
                    break;
                }
            }
        }
        return attached;
    }
}
