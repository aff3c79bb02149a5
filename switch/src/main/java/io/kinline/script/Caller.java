package io.kinline.script;

import io.kinline.policy.InmateStatus;
import io.kinline.policy.PhoneSchedule;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * The inmate a PIN identified, as the call sees them: language, phone status and the hours of their
 * housing unit (the stored inmate is {@link io.kinline.store.Inmate}).
 *
 * @param id           the inmate's id in the store
 * @param language     preferred prompt language ({@code en}, {@code es}), or null for the facility's
 * @param status       phone status
 * @param statusUntil  end of a RESTRICTED/SEGREGATION status, or null
 * @param housingHours phone hours of the inmate's housing unit
 * @param namePrompt   the recorded name, or null when none was recorded yet
 */
public record Caller(String id, String language, InmateStatus status, Instant statusUntil,
        PhoneSchedule housingHours, Path namePrompt) {
    public Caller {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(housingHours, "housingHours");
    }
}
