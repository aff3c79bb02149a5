package io.kinline.store;

import java.util.List;
import java.util.Optional;

/** Privileged numbers (attorneys, hotlines): never recorded, never monitored. */
public interface Numbers {

    PrivilegedNumber addPrivileged(PrivilegedNumber number);

    boolean removePrivileged(long id);

    /** Facility-specific and global entries; {@code facilityId == null} lists only global ones. */
    List<PrivilegedNumber> privileged(String facilityId);

    /** Call flow: is this number privileged in this facility (facility entry or global entry)? */
    Optional<PrivilegedNumber> findPrivileged(String facilityId, String number);
}
