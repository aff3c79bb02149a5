package io.kinline.sip;

/**
 * Stations with their own digest credential (tablets): HA1 by user name, or null. Asked on the SIP
 * event loop for every INVITE, so it must answer from memory. A station listed here is always
 * challenged, even from an address on the gateway allow-list: a tablet is identified by its
 * credential, never by the network it happens to be on.
 */
@FunctionalInterface
public interface StationDigests {

    StationDigests NONE = user -> null;

    String ha1(String user);
}
