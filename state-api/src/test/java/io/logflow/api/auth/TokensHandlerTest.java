package io.logflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.api.web.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/** Ingest tokens are an admin's; a listed token carries no secret. */
class TokensHandlerTest {
    static final Duration T = Duration.ofSeconds(5);
    static final AuthUser EDITOR = UsersHandlerTest.EDITOR;
    static final AuthUser ADMIN = UsersHandlerTest.ADMIN;

    final TokensHandler handler =
            new TokensHandler(new IngestTokens(null), JsonMapper.builder().build());

    @Test
    void everyRoute_isAnAdmins() {
        assertThatThrownBy(() -> handler.create(UsersHandlerTest.request(EDITOR, "{\"name\":\"x\"}")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status.value()).isEqualTo(403));
        assertThatThrownBy(() -> handler.list(UsersHandlerTest.request(EDITOR, null)))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> handler.revoke(
                        UsersHandlerTest.request(EDITOR, null, UUID.randomUUID().toString())))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> handler.list(UsersHandlerTest.request(null, null)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status).isEqualTo(HttpStatus.UNAUTHORIZED));
    }

    @Test
    void create_needsAName_andNothingElse() {
        assertThatThrownBy(() -> handler.create(UsersHandlerTest.request(ADMIN, "{\"created_by\":\"x\"}"))
                        .block(T))
                .hasMessage("invalid fields: created_by: is not a field of this request; name: is required");
        assertThatThrownBy(() -> handler.create(UsersHandlerTest.request(ADMIN, "{\"name\":\"  \"}"))
                        .block(T))
                .hasMessage("invalid fields: name: is required");
    }

    @Test
    void aListedToken_hasNoSecret() {
        var listed = new IngestTokens.Listed(
                UUID.randomUUID(), "demo", UUID.randomUUID(), "root", Instant.now(), null, null);
        assertThat(TokensHandler.view(listed))
                .containsOnlyKeys(
                        "id",
                        "name",
                        "created_by",
                        "created_by_username",
                        "created_at",
                        "last_used_at",
                        "revoked_at",
                        "revoked")
                .containsEntry("revoked", false);
    }
}
