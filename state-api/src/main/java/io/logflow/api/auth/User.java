package io.logflow.api.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** A stored user. {@link #toString} leaves the password hash out, so a user in a log line carries no hash. */
public record User(
        UUID id,
        String username,
        String passwordHash,
        Role role,
        boolean disabled,
        Instant createdAt,
        Instant updatedAt) {
    public User {
        requireNonNull(id, "id");
        requireNonNull(username, "username");
        requireNonNull(passwordHash, "passwordHash");
        requireNonNull(role, "role");
    }

    /** A new enabled user with a random id, created now. */
    static User create(String username, String passwordHash, Role role) {
        Instant now = Instant.now();
        return new User(UUID.randomUUID(), username, passwordHash, role, false, now, now);
    }

    @Override
    public String toString() {
        return "User[id=" + id + ", username=" + username + ", role=" + role.wire() + ", disabled=" + disabled + "]";
    }
}
