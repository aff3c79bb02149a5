package io.kinline.store;

/**
 * A number whose calls are never recorded or monitored (and are free).
 *
 * @param facilityId {@code null} = applies to every facility
 */
public record PrivilegedNumber(long id, String facilityId, String number, Kind kind, String label) {

    public enum Kind { ATTORNEY, HOTLINE, CONSULATE, CLERGY, OMBUDSMAN, OTHER }
}
