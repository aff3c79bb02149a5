package io.kinline.store;

import java.util.List;
import java.util.Optional;

/** Facilities, their housing units and stations. */
public interface Facilities {

    /** @throws ConflictException if the id exists */
    Facility create(Facility facility);

    Optional<Facility> get(String id);

    List<Facility> list();

    /** Replaces every field (use {@link Facility#toBuilder()} to patch). @throws NotFoundException */
    Facility update(Facility facility);

    HousingUnit createUnit(HousingUnit unit);

    Optional<HousingUnit> unit(String unitId);

    List<HousingUnit> units(String facilityId);

    HousingUnit updateUnit(HousingUnit unit);

    /** @throws ConflictException if the station id exists */
    Station createStation(Station station);

    /** Call flow: SIP From user → station (and through it the facility). */
    Optional<Station> station(String stationId);

    List<Station> stations(String facilityId);

    Station updateStation(Station station);

    boolean deleteStation(String stationId);
}
