package io.kinline.admin.api;

import io.kinline.store.ApiToken;
import io.kinline.store.ApprovedNumber;
import io.kinline.store.Block;
import io.kinline.store.CallRecord;
import io.kinline.store.CallType;
import io.kinline.store.DebitAccount;
import io.kinline.store.Facility;
import io.kinline.store.HousingUnit;
import io.kinline.store.Incident;
import io.kinline.store.Inmate;
import io.kinline.store.LegQuality;
import io.kinline.store.PhoneHours;
import io.kinline.store.PrepaidAccount;
import io.kinline.store.PrivilegedNumber;
import io.kinline.store.Station;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * JSON shapes of the API, built explicitly (not by reflecting over store records) so the wire format is
 * stable and secrets such as PIN hashes can never slip out.
 */
final class Views {

    private Views() {
    }

    /** A small JSON object with its keys in the given order. */
    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static String wire(Enum<?> e) {
        return e == null ? null : e.name().toLowerCase(Locale.ROOT);
    }

    static String money(BigDecimal v) {
        return v == null ? null : v.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** Rates keep up to 4 decimals but show at least 2: "0.06", "0.0525". */
    static String rate(BigDecimal v) {
        if (v == null) {
            return null;
        }
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 2 ? v.setScale(2, RoundingMode.UNNECESSARY).toPlainString() : s.toPlainString();
    }

    static Map<String, Object> hours(PhoneHours h) {
        if (h == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", h.startText());
        m.put("end", h.endText());
        m.put("always", h.always());
        return m;
    }

    static Map<String, Object> facility(Facility f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("name", f.name());
        m.put("timezone", f.timezone().getId());
        m.put("languageMenu", f.languageMenu());
        m.put("defaultLanguage", f.defaultLanguage());
        m.put("phoneHours", hours(f.phoneHours()));
        m.put("maxCallMinutes", f.maxCallMinutes());
        m.put("callsPerDay", f.callsPerDay());
        m.put("monthlyMinutes", f.monthlyMinutes());
        m.put("cooldownSeconds", f.cooldownSeconds());
        m.put("reminderMinutes", f.reminderMinutes());
        m.put("warningSeconds", f.warningSeconds());
        m.put("ratePerMinute", rate(f.rates().defaultRate()));
        Map<String, Object> rates = new LinkedHashMap<>();
        for (CallType t : CallType.values()) {
            rates.put(wire(t), rate(f.rates().rateFor(t)));
        }
        m.put("rates", rates);
        m.put("pinLength", f.pinLength());
        m.put("pinMaxAttempts", f.pinMaxAttempts());
        m.put("pinLockMinutes", f.pinLockMinutes());
        m.put("approvedListRequired", f.approvedListRequired());
        m.put("allowInternational", f.allowInternational());
        m.put("answerTimeoutSeconds", f.answerTimeoutSeconds());
        m.put("consentRepeats", f.consentRepeats());
        m.put("consentDuringNotice", f.consentDuringNotice());
        m.put("billingRoundingSeconds", f.billingRoundingSeconds());
        m.put("threeWay", f.threeWay().name().toLowerCase(Locale.ROOT));
        m.put("identification", f.identification().name().toLowerCase(Locale.ROOT));
        m.put("state", f.state());
        m.put("localNpas", f.localNpas());
        m.put("stateNpas", f.stateNpas());
        m.put("namePrompt", f.namePrompt());
        return m;
    }

    static Map<String, Object> unit(HousingUnit u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("facility", u.facilityId());
        m.put("name", u.name());
        m.put("phoneHours", hours(u.phoneHours()));
        m.put("segregation", u.segregation());
        m.put("segregationHours", hours(u.segregationHours()));
        m.put("segregationCallsPerDay", u.segregationCallsPerDay());
        return m;
    }

    static Map<String, Object> station(Station s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("facility", s.facilityId());
        m.put("kind", wire(s.kind()));
        m.put("housingUnit", s.housingUnitId());
        return m;
    }

    /** Never the PIN or its hash. */
    static Map<String, Object> inmate(Inmate i, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("number", i.number());
        m.put("facility", i.facilityId());
        m.put("name", i.name());
        m.put("housingUnit", i.housingUnitId());
        m.put("language", i.language());
        m.put("status", wire(i.status()));
        m.put("until", i.statusUntil());
        m.put("effectiveStatus", wire(i.statusAt(now)));
        m.put("pinLocked", i.pinLockedAt(now));
        m.put("pinLockedUntil", i.pinLockedUntil());
        m.put("pinFailures", i.pinFailures());
        m.put("hasNamePrompt", i.namePromptPath() != null);
        return m;
    }

    static Map<String, Object> approved(ApprovedNumber a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", a.number());
        m.put("label", a.label());
        return m;
    }

    static Map<String, Object> privileged(PrivilegedNumber p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("number", p.number());
        m.put("kind", wire(p.kind()));
        m.put("label", p.label());
        m.put("facility", p.facilityId());
        return m;
    }

    static Map<String, Object> debit(String inmateId, DebitAccount a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inmateId", inmateId);
        m.put("balance", money(a == null ? BigDecimal.ZERO : a.balance()));
        m.put("held", money(a == null ? BigDecimal.ZERO : a.held()));
        m.put("available", money(a == null ? BigDecimal.ZERO : a.available()));
        return m;
    }

    static Map<String, Object> prepaid(PrepaidAccount a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("btn", a.btn());
        m.put("balance", money(a.balance()));
        m.put("held", money(a.held()));
        m.put("available", money(a.available()));
        return m;
    }

    static Map<String, Object> block(Block b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("number", b.number());
        m.put("type", wire(b.type()));
        m.put("facility", b.facilityId());
        m.put("inmate", b.inmateId());
        m.put("note", b.note());
        m.put("setBy", b.setBy());
        m.put("setAt", b.setAt());
        m.put("active", b.active());
        m.put("liftedBy", b.liftedBy());
        m.put("liftedAt", b.liftedAt());
        return m;
    }

    /**
     * @param showPrivilegedNumber false hides the dialed number of privileged (attorney) calls
     * @param showRecording whether to say if a recording exists, and whether the three-way detector flagged the
     *                      call (the investigative view)
     */
    static Map<String, Object> cdr(CallRecord r, boolean showPrivilegedNumber, boolean showRecording) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("callId", r.callId());
        m.put("sipCallId", r.sipCallId());
        m.put("trunkCallId", r.trunkCallId());
        m.put("facility", r.facility());
        m.put("station", r.station());
        m.put("inmateId", r.inmateId());
        m.put("dialed", r.privileged() && !showPrivilegedNumber ? null : r.dialed());
        m.put("btn", r.privileged() && !showPrivilegedNumber ? null : r.btn());
        m.put("funding", wire(r.funding()));
        m.put("startedAt", r.startedAt());
        m.put("answeredAt", r.answeredAt());
        m.put("acceptedAt", r.acceptedAt());
        m.put("endedAt", r.endedAt());
        m.put("outcome", r.outcome().wireName());
        m.put("reason", r.reason());
        m.put("billedSeconds", r.billedSeconds());
        m.put("charge", money(r.charge()));
        m.put("privileged", r.privileged());
        if (showRecording) {
            // Investigative, like the recording: customer service sees a cut-off's reason, not the flag.
            m.put("threeWay", r.threeWay());
            boolean rec = r.recording() != null && !r.privileged();
            m.put("recorded", rec);
            m.put("recordingUrl", rec ? "/api/recordings/" + r.callId() : null);
            m.put("recordingSha256", rec ? r.recordingSha256() : null);
            // How faithful the recording is (20 ms frames, docs/ARCHITECTURE.md "Recording"); null without one.
            var rf = rec ? r.recordingFidelity() : null;
            m.put("recordingGapFramesInmate", rf == null ? null : rf.gapFramesInmate());
            m.put("recordingGapFramesCalled", rf == null ? null : rf.gapFramesCalled());
            m.put("recordingLateFrames", rf == null ? null : rf.lateFrames());
        }
        m.put("inmateQuality", quality(r.inmateQuality()));
        m.put("calledQuality", quality(r.calledQuality()));
        return m;
    }

    static Object quality(LegQuality q) {
        return q; // a plain record of numbers; Jackson renders its components
    }

    static Map<String, Object> incident(Incident i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("facility", i.facilityId());
        m.put("inmateId", i.inmateId());
        m.put("callId", i.callId());
        m.put("type", wire(i.type()));
        m.put("at", i.at());
        m.put("details", i.details());
        return m;
    }

    static Map<String, Object> token(ApiToken t, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", String.valueOf(t.id()));
        m.put("name", t.name());
        m.put("role", wire(t.role()));
        m.put("createdAt", t.createdAt());
        m.put("expiresAt", t.expiresAt());
        m.put("lastUsedAt", t.lastUsedAt());
        m.put("facilities", new java.util.TreeSet<>(t.facilities()));
        m.put("revokedAt", t.revokedAt());
        m.put("active", t.activeAt(now));
        return m;
    }
}
