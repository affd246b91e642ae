package io.logflow.api.auth;

import io.logflow.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password rules and bcrypt hashing. A password is never logged, never put in an exception message, and never
 * stored: only its bcrypt hash is.
 */
@Component
public final class Passwords {
    /** Fewest characters (code points) of a password that is set. */
    public static final int MIN_CHARS = 12;
    /** Most UTF-8 bytes: bcrypt reads no further, so a longer password would be silently cut. */
    public static final int MAX_BYTES = 72;

    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
    /** Checked against for unknown users, so a login takes as long whether the user exists or not. */
    private final String dummyHash = bcrypt.encode("no user has this password, it only costs time");

    /**
     * Throws a 400 naming {@code field} when {@code password} is not one LogFlow accepts for a user: missing,
     * shorter than {@link #MIN_CHARS} characters, or longer than {@link #MAX_BYTES} bytes in UTF-8.
     */
    public static void validate(String field, String password) {
        String problem = problem(password, true);
        if (problem != null) throw ApiException.invalidFields(List.of(Map.of("field", field, "message", problem)));
    }

    /** What is wrong with {@code password}, or null; {@code minimum} false checks only presence and bcrypt's limit. */
    static String problem(String password, boolean minimum) {
        if (password == null || password.isEmpty()) return "is required";
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES)
            return "must be at most " + MAX_BYTES + " bytes in UTF-8 (bcrypt's limit)";
        if (minimum && password.codePointCount(0, password.length()) < MIN_CHARS)
            return "must be at least " + MIN_CHARS + " characters";
        return null;
    }

    /** The bcrypt hash of a valid password ({@link #validate} first). */
    public String hash(String password) {
        validate("password", password);
        return bcrypt.encode(password);
    }

    /** True when {@code password} matches {@code hash}; false for a password bcrypt cannot take. Blocking (CPU). */
    boolean matches(String password, String hash) {
        if (problem(password, false) != null) return false;
        return bcrypt.matches(password, hash);
    }

    /** The same bcrypt work as {@link #matches}, for a user that does not exist; always false. */
    boolean matchesNoUser(String password) {
        if (problem(password, false) == null) bcrypt.matches(password, dummyHash);
        return false;
    }
}
