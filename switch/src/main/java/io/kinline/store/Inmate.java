package io.kinline.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An incarcerated person. {@code pinHash} is the salted PBKDF2 verifier (see {@link PinHasher});
 * the plain PIN is never stored.
 *
 * @param statusUntil when a RESTRICTED/SEGREGATION status ends, {@code null} = until changed
 * @param pinLockedUntil PIN entry locked until then after too many failures, {@code null} = not locked
 */
public record Inmate(
        String id,
        String facilityId,
        String name,
        String pinHash,
        String language,
        Status status,
        Instant statusUntil,
        String housingUnitId,
        String namePromptPath,
        int pinFailures,
        Instant pinLockedUntil) {

    public enum Status { ACTIVE, RESTRICTED, SEGREGATION }

    public Inmate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(facilityId, "facilityId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(status, "status");
    }

    /** Status in force at {@code now}: a timed status reverts to ACTIVE when it expires. */
    public Status statusAt(Instant now) {
        if (status != Status.ACTIVE && statusUntil != null && !now.isBefore(statusUntil)) {
            return Status.ACTIVE;
        }
        return status;
    }

    /**
     * The inmate number a caller keys in {@code ID_PIN} identification: the digits of the id in order, every
     * other character dropped ({@code A1001} and {@code A-1001} are {@code 1001}); empty when the id has none.
     */
    public String number() {
        return numberOf(id);
    }

    /** The digits of an inmate id (see {@link #number()}). */
    public static String numberOf(String inmateId) {
        StringBuilder b = new StringBuilder(inmateId.length());
        for (int i = 0; i < inmateId.length(); i++) {
            char ch = inmateId.charAt(i);
            if (ch >= '0' && ch <= '9') {
                b.append(ch);
            }
        }
        return b.toString();
    }

    public boolean pinLockedAt(Instant now) {
        return pinLockedUntil != null && now.isBefore(pinLockedUntil);
    }

    /** A new inmate record (no PIN hash yet: the store sets it from the plain PIN). */
    public static Inmate of(String id, String facilityId, String name, String language, String housingUnitId) {
        return new Inmate(id, facilityId, name, null, language, Status.ACTIVE, null, housingUnitId, null, 0, null);
    }

    public Inmate withStatus(Status s, Instant until) {
        return new Inmate(id, facilityId, name, pinHash, language, s, until, housingUnitId, namePromptPath,
                pinFailures, pinLockedUntil);
    }

    public Inmate withHousingUnit(String unit) {
        return new Inmate(id, facilityId, name, pinHash, language, status, statusUntil, unit, namePromptPath,
                pinFailures, pinLockedUntil);
    }

    public Inmate withNamePromptPath(String path) {
        return new Inmate(id, facilityId, name, pinHash, language, status, statusUntil, housingUnitId, path,
                pinFailures, pinLockedUntil);
    }

    public Inmate withName(String n) {
        return new Inmate(id, facilityId, n, pinHash, language, status, statusUntil, housingUnitId, namePromptPath,
                pinFailures, pinLockedUntil);
    }

    public Inmate withLanguage(String l) {
        return new Inmate(id, facilityId, name, pinHash, l, status, statusUntil, housingUnitId, namePromptPath,
                pinFailures, pinLockedUntil);
    }
}
