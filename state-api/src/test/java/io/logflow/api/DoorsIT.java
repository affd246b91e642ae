package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The doors of issue 17 against a real server (its own database): who gets 401, who gets 403, and that the gate
 * judges the path the router will route. Every call here says which credential it sends.
 */
class DoorsIT {
    static final String SUFFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    static final String PASSWORD = "doors-it-password-" + SUFFIX;
    static final String RULE = """
      {"name":"Doors %s","condition":"greater_than","threshold":50,"time_window":5,"levels":["ERROR"],\
      "services":["doors"],"notification_channel":"webhook","notification_config":{"url":"%s"},"is_active":true}""";
    static final String LOCAL_HOOK = "http://127.0.0.1:9999/hook";

    static Instance app;
    static String viewer;
    static String editor;
    static String otherEditor;
    static String admin;

    @BeforeAll
    static void start() {
        app = Instance.start(
                        "doors-it-" + SUFFIX,
                        Map.of(
                                "logflow.database.url",
                                TestDatabase.another("doors"),
                                "logflow.alerts.webhook-allow",
                                "127.0.0.1/32"))
                .awaitHealthy();
        admin = app.bearer();
        viewer = "Bearer " + create("vera", "viewer");
        editor = "Bearer " + create("ed", "editor");
        otherEditor = "Bearer " + create("edna", "editor");
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    /** Creates a user as the admin and answers its access token. */
    static String create(String name, String role) {
        Instance.Response r = app.request(
                "POST",
                "/api/v1/auth/users",
                Instance.JSON.writeValueAsString(Map.of("username", name, "password", PASSWORD, "role", role)),
                "Authorization",
                admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return app.login(name, PASSWORD);
    }

    static Instance.Response as(String authorization, String method, String path, String body) {
        return authorization == null
                ? app.request(method, path, body, "Authorization", "")
                : app.request(method, path, body, "Authorization", authorization);
    }

    @Test
    void nobody_readsNothing_butTheUiHealthAndKeys() {
        for (String path : List.of("/api/v1/services", "/api/v1/metrics/overview", "/api/v1/alerts/rules"))
            assertThat(as(null, "GET", path, null).status()).as(path).isEqualTo(401);
        Instance.Response r = as(null, "GET", "/api/v1/services", null);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        for (String path : List.of("/", "/health", "/.well-known/jwks.json", "/ui/app.js", "/openapi.yaml"))
            assertThat(as(null, "GET", path, null).status()).as(path).isEqualTo(200);
    }

    @Test
    void everyAnswer_carriesTheBrowserHeaders_andThePagesRunOnlyTheirOwnScripts() {
        for (String path : List.of("/", "/docs")) {
            Instance.Response page = as(null, "GET", path, null);
            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.header("Content-Security-Policy"))
                    .as(path)
                    .startsWith("default-src 'self'; script-src 'self' 'sha256-")
                    .contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-eval");
            assertThat(page.header("X-Frame-Options")).as(path).isEqualTo("DENY");
            // a reload revalidates, and the browser keeps the 304's policy with the page
            Instance.Response again =
                    app.request("GET", path, null, "Authorization", "", "If-None-Match", page.header("ETag"));
            assertThat(again.status()).as(path).isEqualTo(304);
            assertThat(again.header("Content-Security-Policy"))
                    .as(path)
                    .isEqualTo(page.header("Content-Security-Policy"));
        }
        for (String path : List.of("/api/v1/services", "/ui/app.js", "/openapi.yaml", "/health")) {
            Instance.Response r = as(null, "GET", path, null);
            assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(r.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
            assertThat(r.header("Content-Security-Policy")).as(path).startsWith("default-src 'none'");
        }
    }

    @Test
    void aViewer_reads_andEveryWriteIs403() {
        assertThat(as(viewer, "GET", "/api/v1/services", null).status()).isEqualTo(200);
        assertThat(as(viewer, "GET", "/api/v1/alerts/rules", null).status()).isEqualTo(200);
        Instance.Response write = as(viewer, "POST", "/api/v1/alerts/rules", RULE.formatted("v", LOCAL_HOOK));
        assertThat(write.status()).as(write.body()).isEqualTo(403);
        assertThat(write.json().get("detail").asString()).contains("editor");
        assertThat(as(viewer, "POST", "/api/v1/alerts/triggered/00000000-0000-0000-0000-000000000001/acknowledge", "{}")
                        .status())
                .isEqualTo(403);
        assertThat(as(viewer, "GET", "/api/v1/auth/users", null).status()).isEqualTo(403);
        assertThat(as(viewer, "DELETE", "/api/v1/cache/clear", null).status()).isEqualTo(403);
        // the path as the router matches it, not as it was spelled
        assertThat(as(viewer, "GET", "/api/v1/auth/%75sers", null).status()).isEqualTo(403);
        assertThat(as(viewer, "GET", "/api/v1/auth/me", null).json().get("role").asString())
                .isEqualTo("viewer");
    }

    @Test
    void anEditor_changesOwnRulesOnly_andAnAdminAny() {
        Instance.Response mine = as(editor, "POST", "/api/v1/alerts/rules", RULE.formatted("ed", LOCAL_HOOK));
        assertThat(mine.status()).as(mine.body()).isEqualTo(201);
        String id = mine.json().get("id").asString();
        assertThat(mine.json().get("owner").asString()).isEqualTo("ed");
        String path = "/api/v1/alerts/rules/" + id;
        String changed = RULE.formatted("ed changed", LOCAL_HOOK);

        Instance.Response others = as(otherEditor, "PUT", path, changed);
        assertThat(others.status()).as(others.body()).isIn(403, 404);
        assertThat(as(otherEditor, "DELETE", path, null).status()).isIn(403, 404);
        assertThat(as(editor, "PUT", path, changed).status()).isEqualTo(200);
        assertThat(as(admin, "PUT", path, RULE.formatted("ed by admin", LOCAL_HOOK))
                        .status())
                .isEqualTo(200);
        assertThat(as(viewer, "GET", path, null).json().get("name").asString()).isEqualTo("Doors ed by admin");
        assertThat(as(admin, "DELETE", path, null).status()).isEqualTo(204);
    }

    @Test
    void aWebhookToCloudMetadata_isRefused_evenForAnAdmin() {
        Instance.Response r =
                as(admin, "POST", "/api/v1/alerts/rules", RULE.formatted("ssrf", "http://169.254.169.254/latest/"));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("notification_config.url");
    }

    @Test
    void ingest_withoutAToken_orWithARevokedOne_is401() {
        String line = "{\"timestamp\":\"" + Instant.now() + "\",\"level\":\"INFO\",\"service\":\"doors\","
                + "\"message\":\"hello\"}";
        assertThat(app.post("/api/v1/logs", "application/x-ndjson", line, "Authorization", "")
                        .status())
                .isEqualTo(401);
        // a user's token is not an ingest token, not even the admin's
        assertThat(app.post("/api/v1/logs", "application/x-ndjson", line, "Authorization", admin)
                        .status())
                .isEqualTo(401);
        Instance.Response created = as(admin, "POST", "/api/v1/auth/tokens", "{\"name\":\"doors-" + SUFFIX + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = "Bearer " + created.json().get("token").asString();
        assertThat(app.post("/api/v1/logs", "application/x-ndjson", line, "Authorization", token)
                        .status())
                .isEqualTo(202);
        assertThat(app.post("/v1/logs", "application/json", "{}", "Authorization", token)
                        .status())
                .isEqualTo(200);
        assertThat(as(
                                admin,
                                "DELETE",
                                "/api/v1/auth/tokens/"
                                        + created.json().get("id").asString(),
                                null)
                        .status())
                .isEqualTo(204);
        assertThat(app.post("/api/v1/logs", "application/x-ndjson", line, "Authorization", token)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void internalRoutes_refuseEveryUser_evenTheAdmin() {
        for (String auth : new String[] {null, viewer, admin}) {
            Instance.Response r = as(auth, "GET", "/internal/v1/overview?minutes=5", null);
            assertThat(r.status()).as(r.body()).isEqualTo(401);
        }
    }

    @Test
    void aStreamTicket_opensAStream_andNotAnApiRoute() {
        Instance.Response t = as(viewer, "POST", "/api/v1/auth/stream-ticket", null);
        assertThat(t.status()).as(t.body()).isEqualTo(200);
        String ticket = t.json().get("ticket").asString();
        assertThat(as(null, "GET", "/api/v1/services?ticket=" + ticket, null).status())
                .isEqualTo(401);
        assertThat(as(null, "GET", "/api/v1/stream/logs?service=doors&ticket=bad", null)
                        .status())
                .isEqualTo(401);
        // a disabled user's ticket stops working with the user
        Instance.Response users = as(admin, "GET", "/api/v1/auth/users", null);
        String veraId = null;
        for (var u : users.json().get("users"))
            if (u.get("username").asString().equals("vera"))
                veraId = u.get("id").asString();
        assertThat(veraId).isNotNull();
        assertThat(as(admin, "PATCH", "/api/v1/auth/users/" + veraId, "{\"disabled\":true}")
                        .status())
                .isEqualTo(200);
        try {
            Awaitility.await("disabled user refused")
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> as(viewer, "GET", "/api/v1/services", null).status() == 401);
        } finally {
            as(admin, "PATCH", "/api/v1/auth/users/" + veraId, "{\"disabled\":false}");
        }
    }
}
