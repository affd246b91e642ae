package io.logflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.logflow.api.TestObjects;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

/** The gate against signed tokens of each kind, each role, and tokens sent where they do not belong. */
class GateTest {
    static final ECKey KEY = SigningKeys.generate();
    static final AccessTokens TOKENS = new AccessTokens(
            TestObjects.AUTH, () -> KEY, new ImmutableJWKSet<>(new JWKSet(KEY.toPublicJWK())), Clock.systemUTC());
    static final Instant T = Instant.parse("2026-12-07T00:00:00Z");
    static final User VIEWER = user("vera", Role.VIEWER, false);
    static final User EDITOR = user("ed", Role.EDITOR, false);
    static final User ADMIN = user("ada", Role.ADMIN, false);
    static final User DISABLED = user("dis", Role.ADMIN, true);
    static final Map<UUID, User> USERS =
            Map.of(VIEWER.id(), VIEWER, EDITOR.id(), EDITOR, ADMIN.id(), ADMIN, DISABLED.id(), DISABLED);
    static final String INGEST_SECRET = "lf_valid";
    static final Principal.IngestPrincipal SHIPPER = new Principal.IngestPrincipal(UUID.randomUUID(), "shipper");

    final BearerAuth bearer = new BearerAuth(TOKENS, id -> Mono.justOrEmpty(USERS.get(id)));

    static User user(String name, Role role, boolean disabled) {
        return new User(UUID.randomUUID(), name, "$2a$10$x", role, disabled, T, T);
    }

    Gate gate(LogFlowProperties.Auth settings) {
        return new Gate(bearer, TOKENS, t -> t.equals(INGEST_SECRET) ? Mono.just(SHIPPER) : Mono.empty(), settings);
    }

    /** What the gate let through (the principal the handler sees), or the error it answered with. */
    record Outcome(Principal principal, ApiException refused) {
        HttpStatus status() {
            return refused == null ? HttpStatus.OK : refused.status;
        }
    }

    Outcome call(LogFlowProperties.Auth settings, HttpMethod method, String uri, String authorization) {
        var b = MockServerHttpRequest.method(method, java.net.URI.create(uri));
        if (authorization != null) b.header("Authorization", authorization);
        MockServerWebExchange exchange = MockServerWebExchange.from(b);
        AtomicReference<Principal> seen = new AtomicReference<>();
        try {
            gate(settings)
                    .filter(exchange, ex -> {
                        seen.set(Principal.of(ex));
                        return Mono.empty();
                    })
                    .block();
            return new Outcome(seen.get(), null);
        } catch (ApiException e) {
            assertThat(seen.get()).as("a refused request reaches no handler").isNull();
            return new Outcome(null, e);
        }
    }

    Outcome call(HttpMethod method, String uri, String authorization) {
        return call(TestObjects.AUTH, method, uri, authorization);
    }

    static String bearerOf(User u) {
        return "Bearer " + TOKENS.issue(u).token();
    }

    @Test
    void anOpenRoute_letsAnyoneIn_asAnonymous() {
        Outcome o = call(HttpMethod.GET, "/health", null);
        assertThat(o.principal()).isEqualTo(Principal.Anonymous.INSTANCE);
        assertThat(call(HttpMethod.POST, "/api/v1/auth/login", null).status()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void aRead_withoutOrWithABadToken_is401() {
        assertThat(call(HttpMethod.GET, "/api/v1/metrics/overview", null).status())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(call(HttpMethod.GET, "/api/v1/metrics/overview", "Bearer nonsense")
                        .status())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(call(HttpMethod.GET, "/api/v1/metrics/overview", "Basic YWRtaW46eA==")
                        .status())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(call(HttpMethod.GET, "/api/v1/metrics/overview", bearerOf(DISABLED))
                        .status())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void aViewer_reads_butCannotWrite() {
        Outcome read = call(HttpMethod.GET, "/api/v1/metrics/overview", bearerOf(VIEWER));
        assertThat(read.principal())
                .isEqualTo(new Principal.UserPrincipal(new AuthUser(VIEWER.id(), "vera", Role.VIEWER)));
        Outcome write = call(HttpMethod.POST, "/api/v1/alerts/rules", bearerOf(VIEWER));
        assertThat(write.status()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(write.refused().getMessage()).isEqualTo("this needs the editor role; vera is viewer");
    }

    @Test
    void anEditor_changesRules_butNotUsers_andAnAdminDoesBoth() {
        assertThat(call(HttpMethod.PUT, "/api/v1/alerts/rules/1", bearerOf(EDITOR))
                        .status())
                .isEqualTo(HttpStatus.OK);
        assertThat(call(HttpMethod.GET, "/api/v1/auth/users", bearerOf(EDITOR)).status())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(call(HttpMethod.DELETE, "/api/v1/cache/clear", bearerOf(EDITOR))
                        .status())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(call(HttpMethod.GET, "/api/v1/auth/users", bearerOf(ADMIN)).status())
                .isEqualTo(HttpStatus.OK);
        assertThat(call(HttpMethod.DELETE, "/api/v1/alerts/rules/1", bearerOf(ADMIN))
                        .status())
                .isEqualTo(HttpStatus.OK);
    }

    @Test
    void anEncodedPath_isJudgedAsTheRouteItReaches() {
        assertThat(call(HttpMethod.GET, "/api/v1/auth/%75sers", bearerOf(VIEWER))
                        .status())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(call(HttpMethod.GET, "/api/v1/auth/users;x=1", bearerOf(VIEWER))
                        .status())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(call(HttpMethod.GET, "/%69nternal/v1/overview", bearerOf(ADMIN))
                        .status())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void aStreamTicket_opensAStream_andNothingElse() {
        String ticket =
                TOKENS.ticket(new AuthUser(VIEWER.id(), "vera", Role.VIEWER)).token();
        Outcome stream = call(HttpMethod.GET, "/api/v1/stream/logs?service=a&ticket=" + ticket, null);
        assertThat(stream.principal()).isInstanceOf(Principal.UserPrincipal.class);
        assertThat(call(HttpMethod.GET, "/api/v1/metrics/overview?ticket=" + ticket, null)
                        .status())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        // an access token is not a ticket
        assertThat(call(
                                HttpMethod.GET,
                                "/api/v1/stream/logs?ticket="
                                        + TOKENS.issue(VIEWER).token(),
                                null)
                        .status())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        // nor is a ticket an access token
        assertThat(call(HttpMethod.GET, "/api/v1/stream/logs", "Bearer " + ticket)
                        .status())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void ingest_needsAValidIngestToken_unlessSwitchedOff() {
        assertThat(call(HttpMethod.POST, "/v1/traces", "Bearer " + INGEST_SECRET)
                        .principal())
                .isEqualTo(SHIPPER);
        Outcome none = call(HttpMethod.POST, "/api/v1/logs", null);
        assertThat(none.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(none.refused().getMessage()).isEqualTo(Gate.INGEST_REQUIRED);
        assertThat(call(HttpMethod.POST, "/v1/logs", "Bearer lf_revoked")
                        .refused()
                        .getMessage())
                .isEqualTo(Gate.INGEST_REFUSED);
        // a user's access token is not an ingest token
        assertThat(call(HttpMethod.POST, "/api/v1/logs", bearerOf(ADMIN)).status())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(call(off(), HttpMethod.POST, "/api/v1/logs", null).principal())
                .isEqualTo(Principal.Anonymous.INSTANCE);
    }

    @Test
    void internalRoutes_refuseEveryUser_andAnswerAClusterToken() {
        assertThat(call(HttpMethod.GET, "/internal/v1/overview", null).status()).isEqualTo(HttpStatus.UNAUTHORIZED);
        Outcome admin = call(HttpMethod.GET, "/internal/v1/overview", bearerOf(ADMIN));
        assertThat(admin.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(admin.refused().getMessage()).isEqualTo(Gate.INTERNAL_ONLY);
        String cluster = "Bearer " + TOKENS.clusterToken("i-1").token();
        assertThat(call(HttpMethod.GET, "/internal/v1/overview", cluster).principal())
                .isEqualTo(new Principal.InstancePrincipal("i-1"));
        // and a cluster token is nobody outside /internal
        assertThat(call(HttpMethod.GET, "/api/v1/metrics/overview", cluster).status())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void prometheus_isOpenByDefault_andAdminOnlyWhenClosed() {
        assertThat(call(HttpMethod.GET, "/actuator/prometheus", null).status()).isEqualTo(HttpStatus.OK);
        var closed = new LogFlowProperties.Auth(
                "logflow",
                "logflow-api",
                TestObjects.AUTH.accessTtl(),
                TestObjects.AUTH.refreshTtl(),
                null,
                TestObjects.AUTH.adminPasswordFile(),
                null,
                null,
                false);
        assertThat(call(closed, HttpMethod.GET, "/actuator/prometheus", null).status())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(call(closed, HttpMethod.GET, "/actuator/prometheus", bearerOf(VIEWER))
                        .status())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(call(closed, HttpMethod.GET, "/actuator/prometheus", bearerOf(ADMIN))
                        .status())
                .isEqualTo(HttpStatus.OK);
    }

    static LogFlowProperties.Auth off() {
        return new LogFlowProperties.Auth(
                "logflow",
                "logflow-api",
                TestObjects.AUTH.accessTtl(),
                TestObjects.AUTH.refreshTtl(),
                null,
                TestObjects.AUTH.adminPasswordFile(),
                null,
                LogFlowProperties.Auth.IngestAuth.OFF,
                true);
    }

    /** The server's own agent's token opens ingest; any other goes to the ingest tokens; none set: nothing changes. */
    @Test
    void theSelfTracingToken_isAcceptedBesideTheIngestTokens() {
        String self = "lfs_" + "x".repeat(43);
        Principal.IngestPrincipal known = new Principal.IngestPrincipal(UUID.randomUUID(), "checkout");
        java.util.function.Function<String, Mono<Principal.IngestPrincipal>> tokens =
                t -> t.equals("lf_known") ? Mono.just(known) : Mono.empty();
        var withSelf = Gate.withSelf(self, tokens);
        assertThat(withSelf.apply(self).block()).isEqualTo(Gate.SELF);
        assertThat(withSelf.apply("lf_known").block()).isEqualTo(known);
        assertThat(withSelf.apply(self + "y").blockOptional()).isEmpty();
        assertThat(withSelf.apply("lfs_" + "x".repeat(42)).blockOptional()).isEmpty();
        assertThat(Gate.withSelf("", tokens)).isSameAs(tokens);
        assertThat(Gate.withSelf(null, tokens)).isSameAs(tokens);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Gate.withSelf("short", tokens))
                .hasMessageContaining("too short");
    }
}
