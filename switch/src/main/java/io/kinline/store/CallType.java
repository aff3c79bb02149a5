package io.kinline.store;

/** Tariff class of a destination, relative to the facility's home area. */
public enum CallType {
    LOCAL, IN_STATE, INTERSTATE, INTERNATIONAL
}
