package io.kinline.store;

import java.util.Optional;

/**
 * Tablets' SIP digest credentials: the station id is the user name, and only HA1 is stored. The
 * lookup the SIP core makes on every challenged INVITE ({@link #ha1}) is answered from memory (it runs
 * on the SIP event loop, which never waits on the database); {@link #reload} brings one station's
 * entry up to date after a committed change.
 */
public interface StationCredentials {

    /** A newly issued credential: the password is returned this once and never stored. */
    record Issued(String stationId, String realm, String password) {
        @Override
        public String toString() {
            return "Issued[" + stationId + "@" + realm + ", password hidden]";
        }
    }

    /** Issues (or replaces) the credential of {@code stationId} in {@code realm}; joins the caller's transaction. */
    Issued issue(String stationId, String realm);

    /** Removes it; joins the caller's transaction. */
    boolean revoke(String stationId);

    /** HA1 of {@code stationId}, from memory; never touches the database. */
    Optional<String> ha1(String stationId);

    /** Whether any station has a credential (from memory). */
    boolean any();

    /** Re-reads one station's entry after its transaction committed. */
    void reload(String stationId);
}
