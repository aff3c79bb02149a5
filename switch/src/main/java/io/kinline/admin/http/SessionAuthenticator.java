package io.kinline.admin.http;

import java.util.Optional;

/** Resolves a console session cookie's value to its live session; empty when unknown or expired. In memory. */
@FunctionalInterface
public interface SessionAuthenticator {

    /** None: the server has no console (only bearer tokens). */
    SessionAuthenticator NONE = id -> Optional.empty();

    Optional<StaffSession> authenticate(String sessionId);
}
