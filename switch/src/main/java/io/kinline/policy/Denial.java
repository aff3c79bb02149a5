package io.kinline.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * A rule's refusal.
 *
 * @param reason   the reason code for the call record
 * @param prompt   the prompt the inmate hears before goodbye
 * @param detail   a short human note for logs and the call record (never spoken)
 * @param incident an incident to record for investigators, or null
 */
public record Denial(DenialReason reason, String prompt, String detail, IncidentType incident) {

    public Denial {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(prompt, "prompt");
        detail = detail == null ? "" : detail;
    }

    public Optional<IncidentType> incidentType() {
        return Optional.ofNullable(incident);
    }

    public Denial withIncident(IncidentType type) {
        return new Denial(reason, prompt, detail, type);
    }
}
