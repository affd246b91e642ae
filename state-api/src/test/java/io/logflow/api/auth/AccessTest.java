package io.logflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.HEAD;
import static org.springframework.http.HttpMethod.OPTIONS;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import org.junit.jupiter.api.Test;

/** ADR 027's table, row by row, and what falls through it. */
class AccessTest {
    @Test
    void theUiHealthLoginAndKeys_areOpen() {
        for (String path : new String[] {
            "/",
            "/docs",
            "/openapi.yaml",
            "/ui/app.js",
            "/ui/views/trace.js",
            "/webjars/preact/10/preact.mjs",
            "/health",
            "/actuator/health",
            "/actuator/health/liveness",
            "/.well-known/jwks.json",
            "/api/v1/auth/options",
            "/favicon.ico"
        }) {
            assertThat(Access.of(GET, path)).as(path).isEqualTo(Access.OPEN);
            assertThat(Access.of(HEAD, path)).as(path).isEqualTo(Access.OPEN);
        }
        for (String path : new String[] {
            "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout", "/api/v1/auth/register"
        }) assertThat(Access.of(POST, path)).as(path).isEqualTo(Access.OPEN);
        assertThat(Access.of(OPTIONS, "/api/v1/alerts/rules")).isEqualTo(Access.OPEN);
    }

    @Test
    void openPaths_areOpenOnlyForTheirMethod() {
        assertThat(Access.of(GET, "/api/v1/auth/login")).isEqualTo(Access.VIEWER);
        assertThat(Access.of(POST, "/health")).isEqualTo(Access.ADMIN);
        assertThat(Access.of(PUT, "/api/v1/auth/options")).isEqualTo(Access.ADMIN);
        assertThat(Access.of(PUT, "/ui/app.js")).isEqualTo(Access.ADMIN);
        assertThat(Access.of(DELETE, "/")).isEqualTo(Access.ADMIN);
    }

    @Test
    void sendingLogsAndTraces_needsAnIngestToken_readingThemAViewer() {
        for (String path : new String[] {"/api/v1/logs", "/v1/traces", "/v1/logs", "/v1/metrics"})
            assertThat(Access.of(POST, path)).as(path).isEqualTo(Access.INGEST);
        assertThat(Access.of(GET, "/api/v1/logs/recent")).isEqualTo(Access.VIEWER);
        assertThat(Access.of(GET, "/api/v1/logs/search")).isEqualTo(Access.VIEWER);
        assertThat(Access.of(POST, "/api/v1/logs/search")).isEqualTo(Access.ADMIN);
    }

    @Test
    void internalRoutes_areForInstancesWhateverTheMethod() {
        assertThat(Access.of(GET, "/internal/v1/overview")).isEqualTo(Access.INTERNAL);
        assertThat(Access.of(POST, "/internal/v1/anything")).isEqualTo(Access.INTERNAL);
        assertThat(Access.of(GET, "/internal")).isEqualTo(Access.INTERNAL);
        assertThat(Access.of(GET, "/internalx")).isEqualTo(Access.VIEWER);
    }

    @Test
    void prometheus_isItsOwnSwitch_otherActuatorReadsNeedAViewer() {
        assertThat(Access.of(GET, "/actuator/prometheus")).isEqualTo(Access.PROMETHEUS);
        assertThat(Access.of(POST, "/actuator/prometheus")).isEqualTo(Access.ADMIN);
        assertThat(Access.of(GET, "/actuator/metrics")).isEqualTo(Access.VIEWER);
    }

    @Test
    void ownAccountAndTickets_needAnyUser() {
        assertThat(Access.of(GET, "/api/v1/auth/me")).isEqualTo(Access.USER);
        assertThat(Access.of(PUT, "/api/v1/auth/me")).isEqualTo(Access.USER);
        assertThat(Access.of(POST, "/api/v1/auth/stream-ticket")).isEqualTo(Access.USER);
        assertThat(Access.USER.role()).isEqualTo(Role.VIEWER);
    }

    @Test
    void usersTokensLimitsAndCacheClearing_areForAdmins_evenToRead() {
        assertThat(Access.of(GET, "/api/v1/auth/users")).isEqualTo(Access.ADMIN);
        assertThat(Access.of(PATCH, "/api/v1/auth/users/42")).isEqualTo(Access.ADMIN);
        assertThat(Access.of(GET, "/api/v1/auth/tokens")).isEqualTo(Access.ADMIN);
        assertThat(Access.of(DELETE, "/api/v1/auth/tokens/7")).isEqualTo(Access.ADMIN);
        assertThat(Access.of(GET, "/api/v1/rate-limits/status")).isEqualTo(Access.ADMIN);
        assertThat(Access.of(DELETE, "/api/v1/rate-limits/reset/ip:1.2.3.4")).isEqualTo(Access.ADMIN);
        assertThat(Access.of(DELETE, "/api/v1/cache/clear")).isEqualTo(Access.ADMIN);
        assertThat(Access.of(GET, "/api/v1/cache/stats")).isEqualTo(Access.VIEWER);
        // a prefix is not a path: /api/v1/auth/usersx is not /users
        assertThat(Access.of(GET, "/api/v1/auth/usersx")).isEqualTo(Access.VIEWER);
    }

    @Test
    void changingRulesAndAlerts_needsAnEditor() {
        assertThat(Access.of(POST, "/api/v1/alerts/rules")).isEqualTo(Access.EDITOR);
        assertThat(Access.of(PUT, "/api/v1/alerts/rules/1")).isEqualTo(Access.EDITOR);
        assertThat(Access.of(DELETE, "/api/v1/alerts/rules/1")).isEqualTo(Access.EDITOR);
        assertThat(Access.of(POST, "/api/v1/alerts/triggered/1/acknowledge")).isEqualTo(Access.EDITOR);
        assertThat(Access.of(GET, "/api/v1/alerts/rules")).isEqualTo(Access.VIEWER);
        assertThat(Access.EDITOR.role()).isEqualTo(Role.EDITOR);
    }

    @Test
    void anyOtherWrite_failsClosedToAdmins() {
        assertThat(Access.of(POST, "/api/v1/metrics/overview")).isEqualTo(Access.ADMIN);
        assertThat(Access.of(PUT, "/api/v1/something-new")).isEqualTo(Access.ADMIN);
        assertThat(Access.of(POST, "/nowhere")).isEqualTo(Access.ADMIN);
        assertThat(Access.ADMIN.role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void onlyStreamReads_mayUseATicket() {
        assertThat(Access.isStream(GET, "/api/v1/stream/logs")).isTrue();
        assertThat(Access.isStream(GET, "/api/v1/stream/alerts")).isTrue();
        assertThat(Access.isStream(GET, "/api/v1/logs/recent")).isFalse();
        assertThat(Access.isStream(POST, "/api/v1/stream/logs")).isFalse();
    }
}
