package io.logflow.api.auth;

import static io.logflow.api.auth.AccessTokensTest.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.logflow.api.auth.TokenCheck.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

/** The Authorization header to the user, or why not: the helper the enforcing filter will call. */
class BearerAuthTest {
    final AccessTokens tokens = new AccessTokens(
            AccessTokensTest.SETTINGS,
            () -> AccessTokensTest.KEY,
            new ImmutableJWKSet<>(new JWKSet(AccessTokensTest.KEY.toPublicJWK())),
            Clock.fixed(AccessTokensTest.NOW, ZoneOffset.UTC));

    static final User BOB = new User(
            UUID.fromString("00000000-0000-0000-0000-000000000b0b"),
            "bob",
            "$2a$10$hash",
            Role.VIEWER,
            true,
            AccessTokensTest.NOW,
            AccessTokensTest.NOW);

    /** Alice enabled, now an admin; Bob disabled; nobody else. */
    final BearerAuth auth = new BearerAuth(
            tokens,
            id -> Mono.justOrEmpty(Map.of(
                            ALICE.id(),
                            new User(ALICE.id(), "alice", "h", Role.ADMIN, false, ALICE.createdAt(), ALICE.updatedAt()),
                            BOB.id(),
                            BOB)
                    .get(id)));

    @Test
    void aValidToken_givesTheUserAsStoredNow() {
        String token = tokens.issue(ALICE).token();
        assertThat(check("Bearer " + token))
                .isEqualTo(new TokenCheck.Valid(new AuthUser(ALICE.id(), "alice", Role.ADMIN)));
        assertThat(check("bearer " + token)).isInstanceOf(TokenCheck.Valid.class);
    }

    @Test
    void aTokenOfADisabledUser_isRefused() {
        assertThat(check("Bearer " + tokens.issue(BOB).token()))
                .isEqualTo(new TokenCheck.Rejected(Reason.USER_DISABLED));
    }

    @Test
    void aTokenOfAUserWhoIsGone_isRefused() {
        User gone = new User(UUID.randomUUID(), "gone", "h", Role.ADMIN, false, ALICE.createdAt(), ALICE.updatedAt());
        assertThat(check("Bearer " + tokens.issue(gone).token()))
                .isEqualTo(new TokenCheck.Rejected(Reason.USER_UNKNOWN));
    }

    /**
     * PostgreSQL down: a user it told about before is as it told (Bob stays disabled, Alice an admin as it said
     * last); one it never told about is as the token claims. Another failure is not hidden.
     */
    @Test
    void whilePostgresIsDown_theLastKnownUser_elseTheTokensClaims() {
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
        User carol =
                new User(UUID.randomUUID(), "carol", "h", Role.EDITOR, false, ALICE.createdAt(), ALICE.updatedAt());
        BearerAuth flaky = new BearerAuth(tokens, id -> {
            if (broken.get()) return Mono.error(new IllegalStateException("a bug, not an outage"));
            if (down.get())
                return Mono.error(new org.springframework.dao.DataAccessResourceFailureException("refused"));
            return Mono.justOrEmpty(
                    id.equals(ALICE.id())
                            ? new User(
                                    ALICE.id(), "alice", "h", Role.ADMIN, false, ALICE.createdAt(), ALICE.updatedAt())
                            : id.equals(BOB.id()) ? BOB : null);
        });
        String alice = "Bearer " + tokens.issue(ALICE).token();
        String bob = "Bearer " + tokens.issue(BOB).token();
        assertThat(flaky.check(alice).block()).isInstanceOf(TokenCheck.Valid.class);
        assertThat(flaky.check(bob).block()).isEqualTo(new TokenCheck.Rejected(Reason.USER_DISABLED));

        down.set(true);
        assertThat(flaky.check(alice).block())
                .isEqualTo(new TokenCheck.Valid(new AuthUser(ALICE.id(), "alice", Role.ADMIN)));
        assertThat(flaky.check(bob).block()).isEqualTo(new TokenCheck.Rejected(Reason.USER_DISABLED));
        assertThat(flaky.check("Bearer " + tokens.issue(carol).token()).block())
                .isEqualTo(new TokenCheck.Valid(new AuthUser(carol.id(), "carol", Role.EDITOR)));

        broken.set(true);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> flaky.check(alice).block())
                .hasMessageContaining("a bug");
    }

    /** A user read is the answer for {@link BearerAuth#FRESH}, then asked again; never while asking fails. */
    @Test
    void aUserAsRead_answersForTwoSeconds_thenIsAskedAgain() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<User> stored = new java.util.concurrent.atomic.AtomicReference<>(
                new User(ALICE.id(), "alice", "h", Role.ADMIN, false, ALICE.createdAt(), ALICE.updatedAt()));
        BearerAuth cached = new BearerAuth(
                tokens,
                id -> {
                    asked.incrementAndGet();
                    return Mono.just(stored.get());
                },
                now::get);
        String alice = "Bearer " + tokens.issue(ALICE).token();
        assertThat(cached.check(alice).block()).isInstanceOf(TokenCheck.Valid.class);
        stored.set(new User(ALICE.id(), "alice", "h", Role.ADMIN, true, ALICE.createdAt(), ALICE.updatedAt()));
        now.addAndGet(BearerAuth.FRESH.toNanos() - 1);
        assertThat(cached.check(alice).block()).as("within FRESH").isInstanceOf(TokenCheck.Valid.class);
        assertThat(asked).hasValue(1);
        now.addAndGet(1);
        assertThat(cached.check(alice).block()).isEqualTo(new TokenCheck.Rejected(Reason.USER_DISABLED));
        assertThat(asked).hasValue(2);
    }

    @Test
    void noHeader_orAnotherScheme_orABadToken_isRefused() {
        assertThat(check(null)).isEqualTo(new TokenCheck.Rejected(Reason.MISSING));
        assertThat(check(" ")).isEqualTo(new TokenCheck.Rejected(Reason.MISSING));
        assertThat(check("Basic YWRtaW46eA==")).isEqualTo(new TokenCheck.Rejected(Reason.NOT_BEARER));
        assertThat(check("Bearer ")).isEqualTo(new TokenCheck.Rejected(Reason.NOT_BEARER));
        assertThat(check("Bearer x.y.z")).isEqualTo(new TokenCheck.Rejected(Reason.MALFORMED));
    }

    @Test
    void theClientIsToldTheSameWhateverTheReason() {
        assertThat(BearerAuth.unauthorized().status).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(BearerAuth.unauthorized().getMessage()).isEqualTo(TokenCheck.CLIENT_DETAIL);
    }

    TokenCheck check(String header) {
        return auth.check(header).block(Duration.ofSeconds(10));
    }
}
