package io.kinline.admin.http;

import io.kinline.admin.Principal;

import java.util.Optional;

/** Resolves a bearer token to its principal; empty when unknown or revoked. May block (JDBC). */
@FunctionalInterface
public interface Authenticator {
    Optional<Principal> authenticate(String bearerToken);
}
