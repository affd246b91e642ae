package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Rate limits against a real server with the shipped limits (login 20/hour per address and per username): a
 * brute-force loop from one address, then on one username from many, each refused with 429, Retry-After and the
 * RateLimit-* headers; the status shows them; a reset lets the next attempt through. The server trusts 127.0.0.1 as
 * a reverse proxy, so {@code X-Forwarded-For} plays the other addresses (and a request without it is 127.0.0.1's).
 * No gate on this branch: the admin routes answer without a token here.
 */
class RateLimitsIT {
    static final String SUFFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    static final String ADMIN_PASSWORD = "it-admin-" + SUFFIX + "-long-enough";
    static final String WRONG = "not-the-password-at-all";

    static Instance app;

    @BeforeAll
    static void start() {
        app = Instance.start(
                "rate-limits-it-" + SUFFIX,
                Map.of(
                        "logflow.database.url",
                        TestDatabase.another("rl"),
                        "logflow.auth.admin-password",
                        ADMIN_PASSWORD,
                        "logflow.rate-limits.enabled",
                        true,
                        "logflow.rate-limits.trusted-proxies",
                        "127.0.0.1/32"));
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    static Instance.Response login(String username, String password, String... headers) {
        return app.post(
                "/api/v1/auth/login",
                "application/json",
                Instance.JSON.writeValueAsString(Map.of("username", username, "password", password)),
                headers);
    }

    static void assertTooMany(Instance.Response r, String group) {
        assertThat(r.status()).as(r.body()).isEqualTo(429);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        long retryAfter = Long.parseLong(r.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 3600L);
        assertThat(r.header("RateLimit-Limit")).isEqualTo("20");
        assertThat(r.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(Long.parseLong(r.header("RateLimit-Reset"))).isBetween(1L, 3600L);
        JsonNode problem = r.json();
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("detail").asString())
                .startsWith("rate limit exceeded: 20 requests per hour for " + group);
    }

    static JsonNode limiter(String path, String key, String group) {
        Instance.Response status = app.get(path);
        assertThat(status.status()).as(status.body()).isEqualTo(200);
        for (JsonNode row : status.json().get("limiters"))
            if (row.get("key").asString().equals(key)
                    && row.get("group").asString().equals(group)) return row;
        return null;
    }

    @Test
    void bruteForceFromOneAddress_gets429AfterTwentyTries_untilAnAdminResetsIt() {
        // the test helpers' own sign-ins came from this address too: count from a full bucket
        app.bearer();
        assertThat(app.request("DELETE", "/api/v1/rate-limits/reset/ip:127.0.0.1", null)
                        .status())
                .isIn(204, 404);
        for (int i = 1; i <= 20; i++) {
            // a different username each time: only the address's limit counts
            Instance.Response r = login("guess-" + SUFFIX + "-" + i, WRONG);
            assertThat(r.status()).as("try " + i + ": " + r.body()).isEqualTo(401);
            assertThat(r.header("RateLimit-Limit")).isEqualTo("20");
            assertThat(r.header("RateLimit-Remaining")).isEqualTo(String.valueOf(20 - i));
        }
        assertTooMany(login("guess-" + SUFFIX + "-21", WRONG), "login");
        // the right password is refused as well: the limit comes before any password check
        assertTooMany(login("admin", ADMIN_PASSWORD), "login");
        // another address is not limited
        assertThat(login("guess-" + SUFFIX + "-x", WRONG, "X-Forwarded-For", "198.51.100.1")
                        .status())
                .isEqualTo(401);

        JsonNode row = limiter("/api/v1/rate-limits/status?limited=true", "ip:127.0.0.1", "login");
        assertThat(row).as("ip:127.0.0.1 limited in the status").isNotNull();
        assertThat(row.get("limited").asBoolean()).isTrue();
        assertThat(row.get("remaining").asInt()).isZero();
        assertThat(row.get("limit").asInt()).isEqualTo(20);
        assertThat(row.get("reset_seconds").asLong()).isBetween(1L, 3600L);
        assertThat(limiter("/api/v1/rate-limits/status?limited=true", "ip:198.51.100.1", "login"))
                .isNull();
        assertThat(limiter("/api/v1/rate-limits/status", "ip:198.51.100.1", "login"))
                .isNotNull();

        assertThat(app.request("DELETE", "/api/v1/rate-limits/reset/ip:127.0.0.1", null)
                        .status())
                .isEqualTo(204);
        // the test helpers signed in as admin: that username's bucket is not full either
        assertThat(app.request("DELETE", "/api/v1/rate-limits/reset/admin", null)
                        .status())
                .isEqualTo(204);
        Instance.Response ok = login("admin", ADMIN_PASSWORD);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.header("RateLimit-Remaining")).isEqualTo("19");
        assertThat(app.request("DELETE", "/api/v1/rate-limits/reset/ip:192.0.2.99", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void bruteForceOnOneUsername_fromManyAddresses_gets429AfterTwentyTries_untilAnAdminResetsIt() {
        String victim = "victim-" + SUFFIX;
        for (int i = 1; i <= 20; i++) {
            Instance.Response r = login(victim, WRONG, "X-Forwarded-For", "203.0.113." + i);
            assertThat(r.status()).as("try " + i + ": " + r.body()).isEqualTo(401);
            // the username's limit is the tighter one from the second try on
            assertThat(r.header("RateLimit-Remaining")).isEqualTo(String.valueOf(20 - i));
        }
        Instance.Response refused =
                login(victim.toUpperCase(java.util.Locale.ROOT), WRONG, "X-Forwarded-For", "203.0.113.21");
        assertTooMany(refused, "login-username");

        JsonNode row = limiter("/api/v1/rate-limits/status?limited=true", victim, "login-username");
        assertThat(row).as(victim + " limited in the status").isNotNull();
        assertThat(row.get("remaining").asInt()).isZero();
        // each address tried once: none of them is limited
        assertThat(limiter("/api/v1/rate-limits/status?limited=true", "ip:203.0.113.1", "login"))
                .isNull();

        assertThat(app.request("DELETE", "/api/v1/rate-limits/reset/" + victim.toUpperCase(java.util.Locale.ROOT), null)
                        .status())
                .isEqualTo(204);
        Instance.Response next = login(victim, WRONG, "X-Forwarded-For", "203.0.113.22");
        assertThat(next.status()).as(next.body()).isEqualTo(401);
        assertThat(next.header("RateLimit-Remaining")).isEqualTo("19");
    }

    @Test
    void readsCarryTheHeaders_healthNone_andTheMetricCountsRefusals() {
        // a signed-in read counts against its user: a new user has a full bucket
        Instance.Response read = app.get(
                "/api/v1/alerts/rules",
                "X-Forwarded-For",
                "198.51.100.50",
                "Authorization",
                app.userBearer("reader-" + SUFFIX, "viewer"));
        assertThat(read.header("RateLimit-Limit")).as(read.body()).isEqualTo("600");
        assertThat(read.header("RateLimit-Remaining")).isEqualTo("599");
        assertThat(Long.parseLong(read.header("RateLimit-Reset"))).isBetween(1L, 60L);
        Instance.Response health = app.get("/health");
        assertThat(health.header("RateLimit-Limit")).isNull();
        String metrics = app.get("/actuator/prometheus").body();
        assertThat(metrics).contains("logflow_rate_limited_total{").contains("group=\"login\"");
    }
}
