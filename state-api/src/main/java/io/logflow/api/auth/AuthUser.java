package io.logflow.api.auth;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/** Who a request's verified access token belongs to: the user as stored now (its role may have changed). */
public record AuthUser(UUID id, String username, Role role) {
    public AuthUser {
        requireNonNull(id, "id");
        requireNonNull(username, "username");
        requireNonNull(role, "role");
    }
}
