package io.logflow.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.api.auth.AuthUser;
import io.logflow.api.auth.Principal;
import io.logflow.api.auth.Role;
import io.logflow.api.config.LogFlowMetrics;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.config.LogFlowProperties.Limit;
import io.logflow.api.web.ApiException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class RateLimitsTest {
    static final UUID USER_ID = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    static final UUID TOKEN_ID = UUID.fromString("00000000-0000-0000-0000-0000000000b2");
    static final Principal USER = new Principal.UserPrincipal(new AuthUser(USER_ID, "alice", Role.VIEWER));
    static final Principal TOKEN = new Principal.IngestPrincipal(TOKEN_ID, "demo");

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AtomicLong clock = new AtomicLong(System.nanoTime());

    /** Small limits: login 3/h per address and 2/h per username, search 2/min, reads 4/min, ingest 5/min. */
    static LogFlowProperties.RateLimits small(List<String> trustedProxies, int maxKeys) {
        return new LogFlowProperties.RateLimits(
                true,
                Limit.of("3/1h"),
                Limit.of("2/1h"),
                Limit.of("2/1h"),
                Limit.of("2/1m"),
                Limit.of("4/1m"),
                Limit.of("3/1m"),
                Limit.of("5/1m"),
                trustedProxies,
                maxKeys);
    }

    RateLimits limits() {
        return limits(small(List.of(), 1000));
    }

    RateLimits limits(LogFlowProperties.RateLimits settings) {
        return new RateLimits(settings, new LogFlowMetrics(registry), clock::get);
    }

    static MockServerWebExchange exchange(HttpMethod method, String path, String ip, Principal principal) {
        MockServerWebExchange e = MockServerWebExchange.from(
                MockServerHttpRequest.method(method, path).remoteAddress(new InetSocketAddress(ip, 40_000)));
        if (principal != null) Principal.set(e, principal);
        return e;
    }

    /** Runs the filter: null when the request went on, else the error it ended with. */
    static Throwable run(RateLimits filter, MockServerWebExchange exchange) {
        AtomicBoolean passed = new AtomicBoolean();
        try {
            filter.filter(exchange, e -> {
                        passed.set(true);
                        return Mono.empty();
                    })
                    .block(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            assertThat(passed).isFalse();
            return e;
        }
        assertThat(passed).isTrue();
        return null;
    }

    static String header(MockServerWebExchange e, String name) {
        return e.getResponse().getHeaders().getFirst(name);
    }

    @Test
    void groups_byMethodAndPath() {
        assertThat(Group.of(HttpMethod.POST, "/api/v1/auth/login")).isEqualTo(Group.LOGIN);
        assertThat(Group.of(HttpMethod.POST, "/api/v1/auth/register")).isEqualTo(Group.REGISTER);
        assertThat(Group.of(HttpMethod.GET, "/api/v1/logs/search")).isEqualTo(Group.SEARCH);
        assertThat(Group.of(HttpMethod.GET, "/api/v1/traces")).isEqualTo(Group.SEARCH);
        assertThat(Group.of(HttpMethod.GET, "/api/v1/traces/4bf92f3577b34da6a3ce929d0e0e4736"))
                .isEqualTo(Group.READ);
        assertThat(Group.of(HttpMethod.GET, "/api/v1/metrics/overview")).isEqualTo(Group.READ);
        assertThat(Group.of(HttpMethod.HEAD, "/api/v1/logs/recent")).isEqualTo(Group.READ);
        assertThat(Group.of(HttpMethod.GET, "/api/v1/stream/logs")).isEqualTo(Group.READ);
        assertThat(Group.of(HttpMethod.GET, "/api/v1/rate-limits/status")).isEqualTo(Group.READ);
        assertThat(Group.of(HttpMethod.POST, "/api/v1/alerts/rules")).isEqualTo(Group.WRITE);
        assertThat(Group.of(HttpMethod.PUT, "/api/v1/alerts/rules/1")).isEqualTo(Group.WRITE);
        assertThat(Group.of(HttpMethod.PATCH, "/api/v1/auth/users/1")).isEqualTo(Group.WRITE);
        assertThat(Group.of(HttpMethod.DELETE, "/api/v1/rate-limits/reset/ip:1.2.3.4"))
                .isEqualTo(Group.WRITE);
        assertThat(Group.of(HttpMethod.POST, "/api/v1/auth/refresh")).isEqualTo(Group.WRITE);
        assertThat(Group.of(HttpMethod.POST, "/api/v1/logs")).isEqualTo(Group.INGEST);
        assertThat(Group.of(HttpMethod.POST, "/v1/traces")).isEqualTo(Group.INGEST);
        assertThat(Group.of(HttpMethod.POST, "/v1/logs")).isEqualTo(Group.INGEST);
        assertThat(Group.of(HttpMethod.POST, "/v1/metrics")).isEqualTo(Group.INGEST);
        // never limited: health, the UI and its docs, the JWKS, actuator, other instances, preflights
        for (String path : List.of(
                "/",
                "/health",
                "/docs",
                "/openapi.yaml",
                "/ui/app.js",
                "/webjars/preact/preact.js",
                "/favicon.ico",
                "/.well-known/jwks.json",
                "/actuator/health",
                "/actuator/prometheus",
                "/internal/v1/overview"))
            assertThat(Group.of(HttpMethod.GET, path)).as(path).isNull();
        assertThat(Group.of(HttpMethod.OPTIONS, "/api/v1/alerts/rules")).isNull();
        assertThat(Group.of(HttpMethod.GET, "/v1/traces")).isNull();
        assertThat(Group.of(HttpMethod.POST, "/internal/v1/x")).isNull();
    }

    @Test
    void everyLimitedAnswer_carriesRateLimitHeaders_andAnUnlimitedOneNone() {
        RateLimits filter = limits();
        MockServerWebExchange first = exchange(HttpMethod.GET, "/api/v1/metrics/overview", "10.0.0.1", null);
        assertThat(run(filter, first)).isNull();
        assertThat(header(first, "RateLimit-Limit")).isEqualTo("4");
        assertThat(header(first, "RateLimit-Remaining")).isEqualTo("3");
        assertThat(Long.parseLong(header(first, "RateLimit-Reset"))).isBetween(1L, 60L);
        assertThat(first.getResponse().getHeaders().headerNames())
                .containsExactlyInAnyOrderElementsOf(RateLimits.HEADERS);
        MockServerWebExchange second = exchange(HttpMethod.GET, "/api/v1/services", "10.0.0.1", null);
        run(filter, second);
        assertThat(header(second, "RateLimit-Remaining")).isEqualTo("2");

        MockServerWebExchange health = exchange(HttpMethod.GET, "/health", "10.0.0.1", null);
        assertThat(run(filter, health)).isNull();
        assertThat(health.getResponse().getHeaders().headerNames()).isEmpty();
    }

    @Test
    void overTheLimit_is429WithRetryAfter_andCounted() {
        RateLimits filter = limits();
        for (int i = 0; i < 2; i++)
            assertThat(run(filter, exchange(HttpMethod.GET, "/api/v1/logs/search", "10.0.0.2", USER)))
                    .isNull();
        MockServerWebExchange third = exchange(HttpMethod.GET, "/api/v1/logs/search", "10.0.0.2", USER);
        Throwable refused = run(filter, third);
        assertThat(refused).isInstanceOf(ApiException.class);
        ApiException e = (ApiException) refused;
        assertThat(e.status).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(e.getMessage()).startsWith("rate limit exceeded: 2 requests per minute for search; retry in ");
        assertThat(header(third, "RateLimit-Limit")).isEqualTo("2");
        assertThat(header(third, "RateLimit-Remaining")).isEqualTo("0");
        assertThat(Long.parseLong(header(third, "RateLimit-Reset"))).isBetween(1L, 60L);
        assertThat(registry.get("logflow.rate.limited")
                        .tag("group", "search")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("logflow.rate.limited")
                        .tag("group", "read")
                        .counter()
                        .count())
                .isZero();
        // another group of the same caller is its own limit
        assertThat(run(filter, exchange(HttpMethod.GET, "/api/v1/services", "10.0.0.2", USER)))
                .isNull();
    }

    @Test
    void keys_aUserOrTokenWhenKnown_elseTheAddress_andOtherInstancesNever() {
        RateLimits filter = limits();
        run(filter, exchange(HttpMethod.GET, "/api/v1/services", "10.0.0.3", USER));
        run(filter, exchange(HttpMethod.POST, "/api/v1/logs", "10.0.0.3", TOKEN));
        run(filter, exchange(HttpMethod.POST, "/v1/traces", "10.0.0.4", Principal.Anonymous.INSTANCE));
        run(filter, exchange(HttpMethod.GET, "/api/v1/services", "2001:db8::7", null));
        for (int i = 0; i < 10; i++)
            assertThat(run(
                            filter,
                            exchange(
                                    HttpMethod.GET,
                                    "/api/v1/services",
                                    "10.0.0.5",
                                    new Principal.InstancePrincipal("other"))))
                    .isNull();
        assertThat(filter.limiters().status())
                .extracting(s -> s.key() + " " + s.group().wire())
                .containsExactly(
                        "ip:10.0.0.4 ingest",
                        "ip:2001:db8:0:0:0:0:0:7 read",
                        "token:" + TOKEN_ID + " ingest",
                        "user:" + USER_ID + " read");
    }

    @Test
    void loginAndRegister_arePerAddress_evenWithAToken() {
        RateLimits filter = limits();
        run(filter, exchange(HttpMethod.POST, "/api/v1/auth/login", "10.0.0.6", USER));
        run(filter, exchange(HttpMethod.POST, "/api/v1/auth/register", "10.0.0.6", TOKEN));
        assertThat(filter.limiters().status())
                .extracting(s -> s.key() + " " + s.group().wire())
                .containsExactly("ip:10.0.0.6 login", "ip:10.0.0.6 register");
    }

    @Test
    void loginPerUsername_anyCase_fromAnyAddress_showsTheTighterHeaders() {
        RateLimits filter = limits();
        MockServerWebExchange a = exchange(HttpMethod.POST, "/api/v1/auth/login", "10.0.1.1", null);
        run(filter, a);
        assertThat(header(a, "RateLimit-Remaining")).isEqualTo("2");
        filter.checkLogin(a, "Alice").block();
        // the username's 2/h has 1 left, tighter than the address's 2 left
        assertThat(header(a, "RateLimit-Limit")).isEqualTo("2");
        assertThat(header(a, "RateLimit-Remaining")).isEqualTo("1");
        MockServerWebExchange b = exchange(HttpMethod.POST, "/api/v1/auth/login", "10.0.1.2", null);
        run(filter, b);
        filter.checkLogin(b, " alice ").block();
        MockServerWebExchange c = exchange(HttpMethod.POST, "/api/v1/auth/login", "10.0.1.3", null);
        assertThat(run(filter, c)).isNull();
        assertThatThrownBy(() -> filter.checkLogin(c, "ALICE").block())
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status).isEqualTo(HttpStatus.TOO_MANY_REQUESTS));
        assertThat(header(c, "RateLimit-Remaining")).isEqualTo("0");
        assertThat(registry.get("logflow.rate.limited")
                        .tag("group", "login-username")
                        .counter()
                        .count())
                .isEqualTo(1);
        // another user from the same address is not affected
        assertThat(filter.checkLogin(c, "bob").blockOptional()).isEmpty();
        assertThat(RateLimits.usernameKey(" Bob ")).isEqualTo("bob");
        assertThat(RateLimits.usernameKey("x".repeat(5000))).hasSize(RateLimits.MAX_USERNAME_KEY);
    }

    @Test
    void statusAndReset_byKeyOrUsername() {
        RateLimits filter = limits();
        for (int i = 0; i < 4; i++) run(filter, exchange(HttpMethod.POST, "/api/v1/auth/login", "10.0.2.1", null));
        run(filter, exchange(HttpMethod.GET, "/api/v1/services", "10.0.2.2", null));
        filter.checkLogin(exchange(HttpMethod.POST, "/api/v1/auth/login", "10.0.2.2", null), "carol")
                .block();

        Map<String, Object> all = RateLimitsHandler.status(filter, false);
        assertThat(all.get("enabled")).isEqualTo(true);
        assertThat(all.get("total")).isEqualTo(3);
        assertThat(all.get("groups").toString()).contains("login={limit=3, period_seconds=3600}");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) all.get("limiters");
        assertThat(rows).extracting(r -> r.get("key")).containsExactly("carol", "ip:10.0.2.1", "ip:10.0.2.2");
        assertThat(rows.get(1))
                .containsEntry("group", "login")
                .containsEntry("limit", 3)
                .containsEntry("remaining", 0)
                .containsEntry("limited", true);
        assertThat((Long) rows.get(1).get("reset_seconds")).isBetween(1L, 3600L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> limited = (List<Map<String, Object>>)
                RateLimitsHandler.status(filter, true).get("limiters");
        assertThat(limited).extracting(r -> r.get("key")).containsExactly("ip:10.0.2.1");

        assertThat(filter.limiters().reset("ip:10.0.2.1")).isEqualTo(1);
        assertThat(run(filter, exchange(HttpMethod.POST, "/api/v1/auth/login", "10.0.2.1", null)))
                .isNull();
        assertThat(filter.limiters().reset("ip:10.9.9.9")).isZero();
        assertThat(filter.limiters().reset("carol")).isEqualTo(1);
    }

    @Test
    void idleLimiters_areSwept_afterTheirPeriod() {
        RateLimits filter = limits();
        run(filter, exchange(HttpMethod.GET, "/api/v1/services", "10.0.3.1", null)); // 1 min
        run(filter, exchange(HttpMethod.POST, "/api/v1/auth/login", "10.0.3.1", null)); // 1 h
        assertThat(filter.limiters().size()).isEqualTo(2);
        clock.addAndGet(Duration.ofSeconds(61).toNanos());
        // the next limited request (any caller's) sweeps: the read limiter has been idle longer than its minute
        run(filter, exchange(HttpMethod.GET, "/api/v1/services", "10.0.3.2", null));
        assertThat(filter.limiters().status())
                .extracting(s -> s.key() + " " + s.group().wire())
                .containsExactly("ip:10.0.3.1 login", "ip:10.0.3.2 read");
        clock.addAndGet(Duration.ofMinutes(61).toNanos());
        run(filter, exchange(HttpMethod.GET, "/api/v1/services", "10.0.3.3", null));
        assertThat(filter.limiters().status())
                .extracting(s -> s.key() + " " + s.group().wire())
                .containsExactly("ip:10.0.3.3 read");
    }

    @Test
    void pastMaxKeys_newCallersShareOneLimiterPerGroup() {
        RateLimits filter = limits(small(List.of(), 2));
        run(filter, exchange(HttpMethod.GET, "/api/v1/services", "10.0.4.1", null));
        run(filter, exchange(HttpMethod.GET, "/api/v1/services", "10.0.4.2", null));
        for (int i = 3; i < 10; i++) run(filter, exchange(HttpMethod.GET, "/api/v1/services", "10.0.4." + i, null));
        assertThat(filter.limiters().status())
                .extracting(s -> s.key() + " " + s.remaining())
                .containsExactly("ip:10.0.4.1 3", "ip:10.0.4.2 3", "overflow 0");
    }

    @Test
    void disabled_limitsNothing_andSetsNoHeader() {
        LogFlowProperties.RateLimits s = small(List.of(), 10);
        RateLimits filter = limits(new LogFlowProperties.RateLimits(
                false,
                s.login(),
                s.loginUsername(),
                s.register(),
                s.search(),
                s.read(),
                s.write(),
                s.ingest(),
                List.of(),
                10));
        for (int i = 0; i < 10; i++) {
            MockServerWebExchange e = exchange(HttpMethod.POST, "/api/v1/auth/login", "10.0.5.1", null);
            assertThat(run(filter, e)).isNull();
            assertThat(filter.checkLogin(e, "dave").blockOptional()).isEmpty();
            assertThat(e.getResponse().getHeaders().headerNames()).isEmpty();
        }
    }

    @Test
    void xForwardedFor_onlyFromATrustedProxy() {
        RateLimits direct = limits();
        MockServerWebExchange spoofed = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/services")
                .remoteAddress(new InetSocketAddress("198.51.100.9", 1))
                .header("X-Forwarded-For", "1.2.3.4"));
        run(direct, spoofed);
        assertThat(direct.limiters().status()).extracting(Limiters.Status::key).containsExactly("ip:198.51.100.9");

        RateLimits proxied = limits(small(List.of("10.0.0.0/8", "192.0.2.1"), 100));
        MockServerWebExchange viaProxies = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/services")
                .remoteAddress(new InetSocketAddress("10.1.2.3", 1))
                // the client wrote 6.6.6.6 itself; 203.0.113.5 is what the outer proxy (192.0.2.1) saw
                .header("X-Forwarded-For", "6.6.6.6, 203.0.113.5")
                .header("X-Forwarded-For", "192.0.2.1"));
        run(proxied, viaProxies);
        MockServerWebExchange garbage = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/services")
                .remoteAddress(new InetSocketAddress("10.1.2.4", 1))
                .header("X-Forwarded-For", "evil.example, 999.1.1.1"));
        run(proxied, garbage);
        MockServerWebExchange untrustedPeer = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/services")
                .remoteAddress(new InetSocketAddress("198.51.100.10", 1))
                .header("X-Forwarded-For", "1.2.3.4"));
        run(proxied, untrustedPeer);
        assertThat(proxied.limiters().status())
                .extracting(Limiters.Status::key)
                .containsExactly("ip:10.1.2.4", "ip:198.51.100.10", "ip:203.0.113.5");
    }

    @Test
    void cidrs() {
        ClientAddress.Cidr ten = ClientAddress.Cidr.parse("10.0.0.0/8");
        assertThat(ten.contains(ClientAddress.literal("10.255.0.1"))).isTrue();
        assertThat(ten.contains(ClientAddress.literal("11.0.0.1"))).isFalse();
        assertThat(ten.contains(ClientAddress.literal("::1"))).isFalse();
        ClientAddress.Cidr odd = ClientAddress.Cidr.parse("192.168.4.0/22");
        assertThat(odd.contains(ClientAddress.literal("192.168.7.255"))).isTrue();
        assertThat(odd.contains(ClientAddress.literal("192.168.8.0"))).isFalse();
        assertThat(ClientAddress.Cidr.parse("fd00::/8").contains(ClientAddress.literal("fd12::1")))
                .isTrue();
        assertThat(ClientAddress.Cidr.parse("127.0.0.1").contains(ClientAddress.literal("127.0.0.2")))
                .isFalse();
        for (String bad : List.of("localhost", "10.0.0.0/33", "10.0.0/8", "1.2.3.4/x", ""))
            assertThatThrownBy(() -> ClientAddress.Cidr.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        assertThat(ClientAddress.literal("[::1]")).isNotNull();
        assertThat(ClientAddress.literal("example.com")).isNull();
        assertThat(ClientAddress.literal("beef:cafe:zz")).isNull();
    }
}
