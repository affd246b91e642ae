package io.logflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthHandlerTest {
    @Test
    void theOAuth2PasswordForm_isDecodedAsCurlSendsIt() {
        assertThat(AuthHandler.form("username=ad%2Bmin&password=two+words%26more&grant_type=password"))
                .isEqualTo(Map.of("username", "ad+min", "password", "two words&more", "grant_type", "password"));
        assertThat(AuthHandler.form("username=a&username=b&flag")).isEqualTo(Map.of("username", "a", "flag", ""));
    }
}
