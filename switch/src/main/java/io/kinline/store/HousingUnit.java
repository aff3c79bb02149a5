package io.kinline.store;

import java.util.Objects;

/**
 * A housing unit inside a facility.
 *
 * @param phoneHours override of the facility's hours, {@code null} = use the facility's
 * @param segregation whether the unit is a segregation unit; if so, {@code segregationHours} and
 *                    {@code segregationCallsPerDay} (when non-null) replace the normal limits
 */
public record HousingUnit(
        String id,
        String facilityId,
        String name,
        PhoneHours phoneHours,
        boolean segregation,
        PhoneHours segregationHours,
        Integer segregationCallsPerDay) {

    public HousingUnit {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(facilityId, "facilityId");
        Objects.requireNonNull(name, "name");
    }

    /** Hours in force for inmates of this unit (segregation first, then override, then facility). */
    public PhoneHours effectiveHours(Facility facility) {
        if (segregation && segregationHours != null) {
            return segregationHours;
        }
        return phoneHours != null ? phoneHours : facility.phoneHours();
    }

    /** Calls-per-day quota in force for inmates of this unit. */
    public int effectiveCallsPerDay(Facility facility) {
        if (segregation && segregationCallsPerDay != null) {
            return segregationCallsPerDay;
        }
        return facility.callsPerDay();
    }
}
