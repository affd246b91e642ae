package io.logflow.api.auth;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of checking an access token: the user, or why it was refused. The reason is for the server's debug
 * log and for tests; a client is only told that its token is invalid ({@link #CLIENT_DETAIL}).
 */
public sealed interface TokenCheck {
    /** The one detail a refused client sees, whatever the reason. */
    String CLIENT_DETAIL = "missing or invalid access token";

    /** A verified token of an enabled user. */
    record Valid(AuthUser user) implements TokenCheck {
        public Valid {
            requireNonNull(user, "user");
        }
    }

    /** A refused token (or none). */
    record Rejected(Reason reason) implements TokenCheck {
        public Rejected {
            requireNonNull(reason, "reason");
        }
    }

    enum Reason {
        /** No {@code Authorization} header. */
        MISSING,
        /** An {@code Authorization} header of another scheme than Bearer. */
        NOT_BEARER,
        /** Not a JWT at all. */
        MALFORMED,
        /** Not signed with ES256: {@code alg: none}, HS256 (algorithm confusion), RS256, encrypted, … */
        UNSUPPORTED_ALGORITHM,
        /** Signed, but the header names no {@code kid}. */
        MISSING_KID,
        /** A {@code kid} that is not (or no longer) one of the signing keys. */
        UNKNOWN_KID,
        /** The signature does not match the header and payload (either was altered, or signed by another key). */
        BAD_SIGNATURE,
        EXPIRED,
        NOT_YET_VALID,
        WRONG_ISSUER,
        WRONG_AUDIENCE,
        /** A required claim is absent. */
        MISSING_CLAIMS,
        /** A claim has a value LogFlow cannot use ({@code sub} not a user id, an unknown {@code role}). */
        BAD_CLAIMS,
        /** The token is valid but its user no longer exists. */
        USER_UNKNOWN,
        /** The token is valid but its user is disabled. */
        USER_DISABLED
    }

    static TokenCheck rejected(Reason reason) {
        return new Rejected(reason);
    }
}
