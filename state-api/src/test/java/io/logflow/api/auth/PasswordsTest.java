package io.logflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.api.web.ApiException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class PasswordsTest {
    final Passwords passwords = new Passwords();

    @Test
    void twelveCharactersUpTo72Bytes_areAccepted() {
        Passwords.validate("password", "a".repeat(12));
        Passwords.validate("password", "a".repeat(72));
        // 36 two-byte characters: 72 bytes
        Passwords.validate("password", "é".repeat(36));
    }

    @Test
    void aShortPassword_is400NamingTheField() {
        assertThatThrownBy(() -> Passwords.validate("new_password", "a".repeat(11)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.getMessage())
                            .isEqualTo("invalid fields: new_password: must be at least 12 characters");
                });
    }

    @Test
    void aPasswordOver72Bytes_is400_evenWithFewCharacters() {
        assertThatThrownBy(() -> Passwords.validate("password", "a".repeat(73)))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo("invalid fields: password: must be at most 72 bytes"
                                        + " in UTF-8 (bcrypt's limit)"));
        // 37 characters, 74 bytes: bcrypt would silently ignore the last two
        assertThatThrownBy(() -> Passwords.validate("password", "é".repeat(37))).isInstanceOf(ApiException.class);
    }

    @Test
    void aMissingPassword_is400() {
        assertThatThrownBy(() -> Passwords.validate("password", null))
                .hasMessage("invalid fields: password: is required");
        assertThatThrownBy(() -> Passwords.validate("password", ""))
                .hasMessage("invalid fields: password: is required");
    }

    @Test
    void aHash_isBcrypt_andMatchesOnlyItsPassword() {
        String hash = passwords.hash("correct horse battery");
        assertThat(hash).startsWith("$2a$10$").doesNotContain("correct horse battery");
        assertThat(passwords.matches("correct horse battery", hash)).isTrue();
        assertThat(passwords.matches("correct horse batterY", hash)).isFalse();
        assertThat(passwords.matches("a".repeat(80), hash)).isFalse();
        assertThat(passwords.matchesNoUser("correct horse battery")).isFalse();
    }

    @Test
    void aUserInALogLine_carriesNoHash() {
        User u =
                new User(UUID.randomUUID(), "alice", "$2a$10$secret", Role.VIEWER, false, Instant.EPOCH, Instant.EPOCH);
        assertThat(u.toString()).contains("alice").doesNotContain("$2a$10$secret");
    }
}
