package io.kinline.store;

/** A number on an inmate's approved list (E.164). */
public record ApprovedNumber(String inmateId, String number, String label) {
}
