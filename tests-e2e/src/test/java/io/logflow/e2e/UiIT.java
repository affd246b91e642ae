package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.infra.LocalKafka;
import io.logflow.infra.ScratchDatabase;
import io.logflow.infra.StateApiProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web UI in a real browser (headless chromium, {@link Browser}) against the real server and Kafka: the Overview
 * shows the numbers the API answers for logs just posted, links to each service, switches the theme, paints quickly
 * and logs no console errors; the API docs at {@code /docs} render every operation; the UI's files carry the caching
 * headers ADR 023 promises. Elasticsearch and Connect are not started: search answers 503, which the overview does
 * not use. Then who may do what (ADR 027), as people do it in the browser: the login page guards every route, a
 * registration waits for an admin who enables it on the admin page, a viewer sees no control that would change
 * anything, an editor changes its own rule and acknowledges alerts but only reads an admin's rule, an ingest token
 * made on the admin page works until it is revoked there, signing out ends the session on the server, and an expired
 * access token is refreshed without the user noticing. Skipped without chromium (failed in CI), see
 * {@link Browser.Required}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(Browser.Required.class)
class UiIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    /** Service → [logs, of which ERROR]. */
    static final Map<String, int[]> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("checkout", new int[] {40, 6});
        SERVICES.put("payments", new int[] {25, 0});
        SERVICES.put("inventory", new int[] {12, 3});
    }

    @TempDir
    static Path dir;

    static LocalKafka kafka;
    static ScratchDatabase database;
    static StateApiProcess server;
    static Browser browser;
    static String base;
    static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @BeforeAll
    static void start() throws Exception {
        Browser.assumeInstalled();
        long t0 = System.nanoTime();
        kafka = LocalKafka.start(dir.resolve("kafka"), 0);
        database = ScratchDatabase.create("logflow_ui", dir);
        server = TestServers.start(
                TestServers.copyJar(dir),
                kafka.bootstrapServers(),
                dir.resolve("state"),
                "logflow-ui-" + RUN,
                dir.resolve("server.log"),
                // no Elasticsearch: search answers 503 (and the shared one on 9200 is left alone)
                // registration needs an admin's approval: the login page offers it, the admin page approves it
                Map.of("DATABASE_URL", database.url(), "ELASTICSEARCH_URL", "", "LOGFLOW_REGISTRATION", "approval"));
        server.awaitHealthy(Duration.ofSeconds(240)); // a shared 2-core machine can be slow
        base = server.baseUri().toString();
        TestServers.signIn(server.baseUri()); // the test's own requests: the first admin, an ingest token
        browser = Browser.open();
        browser.login(base, "admin", TestServers.ADMIN_PASSWORD);
        System.out.printf("[ui] Kafka, the server and the browser up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {browser, server, kafka, database}) {
            try {
                if (c != null) c.close();
            } catch (Exception e) {
                System.out.println("[ui] stopping: " + e);
            }
        }
    }

    @Test
    @Order(1)
    void overviewShowsWhatTheApiAnswers() throws Exception {
        // in time order across services, all within the last seconds: no log is late for its minute's window
        Instant t0 = Instant.now().minusSeconds(3);
        StringBuilder body = new StringBuilder("[");
        int n = 0;
        for (int i = 0; i < 100; i++) {
            for (var e : SERVICES.entrySet()) {
                int logs = e.getValue()[0], errors = e.getValue()[1];
                if (i >= logs) continue;
                if (n++ > 0) body.append(',');
                String level = i < errors ? "ERROR" : i % 5 == 0 ? "WARN" : "INFO";
                String message = i < errors ? "payment declined for order " + i : "request " + i + " served";
                body.append("{\"service\":\"" + e.getKey() + "\",\"level\":\"" + level + "\",\"message\":\"" + message
                        + "\",\"timestamp\":\"" + t0.plusMillis(10L * n) + "\"}");
            }
        }
        body.append(']');
        var posted = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/logs"))
                        .headers(TestServers.auth("/api/v1/logs"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        assertThat(JSON.readTree(posted.body()).get("accepted").asInt()).isEqualTo(n);

        int total = n;
        JsonNode overview = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            overview = getJson("/api/v1/metrics/overview?minutes=15");
            if (overview.get("total").asLong() == total) break;
            Thread.sleep(200); // polling the API until the topology has counted them, not an assertion
        }
        assertThat(overview.get("total").asLong())
                .as(overview + "\nvitals: " + getJson("/api/v1/metrics/system").get("ingest"))
                .isEqualTo(total);
        assertThat(overview.get("errors").asLong()).isEqualTo(9);

        long loadStart = System.nanoTime();
        browser.get(base + "/");
        browser.await(
                20,
                d -> d.findElements(By.cssSelector("table.services tbody tr")).size() == 3);
        System.out.printf(
                "[ui] the overview with its services table in %.0f ms%n", (System.nanoTime() - loadStart) / 1e6);
        assertThat(browser.driver.findElement(By.cssSelector("nav.nav")).getText())
                .contains("LogFlow", "Overview");
        // the overview polls every 5 s; the figures it shows must come to the API's (they do not change any more)
        String logsInRange = fmt(overview.get("total").asLong());
        String errors = fmt(overview.get("errors").asLong());
        browser.await(20, d -> logsInRange.equals(stat("logs in 15m")) && errors.equals(stat("errors")));
        assertThat(stat("services")).isEqualTo("3");

        Map<String, String> apiRows = new LinkedHashMap<>();
        overview.get("byService")
                .forEach(s ->
                        apiRows.put(s.get("name").asString(), fmt(s.get("total").asLong())));
        assertThat(apiRows.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES.keySet());
        Map<String, String> uiRows = new LinkedHashMap<>();
        for (WebElement row : browser.driver.findElements(By.cssSelector("table.services tbody tr"))) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            WebElement link = cells.get(0).findElement(By.tagName("a"));
            assertThat(link.getDomAttribute("href")).startsWith("#/service/" + link.getText());
            uiRows.put(link.getText(), cells.get(1).getText());
        }
        assertThat(uiRows).isEqualTo(apiRows);
        for (var e : SERVICES.entrySet()) assertThat(uiRows).containsEntry(e.getKey(), fmt(e.getValue()[0]));

        Object paint = browser.js("const p = performance.getEntriesByType('paint')"
                + ".find(e => e.name === 'first-contentful-paint'); return p ? p.startTime : null;");
        System.out.println("[ui] first-contentful-paint of the overview: " + paint + " ms");

        browser.screenshot("overview");
        browser.assertNoConsoleErrors();
    }

    @Test
    @Order(2)
    void themeToggleSwitchesTheTheme() {
        browser.get(base + "/#/overview");
        WebElement toggle = browser.await(20, d -> d.findElement(By.cssSelector("button.theme")));
        String before = theme();
        toggle.click();
        browser.await(5, d -> !before.equals(theme()));
        String after = theme();
        assertThat(after).isIn("auto", "dark", "light");
        browser.driver.findElement(By.cssSelector("button.theme")).click();
        browser.await(5, d -> !after.equals(theme()));
        browser.assertNoConsoleErrors();
    }

    /**
     * The page's Content-Security-Policy as the browser applies it: markup that reached the DOM (a log line rendered as
     * HTML, were a view ever to do so) runs neither an inline handler nor an injected script, and the UI still works.
     */
    @Test
    @Order(2)
    void markupInjectedIntoThePageRunsNoScript() {
        browser.get(base + "/#/overview");
        browser.await(20, d -> d.findElement(By.cssSelector("button.theme")));
        browser.js("window.injected = [];"
                + "document.body.insertAdjacentHTML('beforeend', '<img src=\"data:,\" onerror=\"injected.push(1)\">"
                + "<a id=\"jsurl\" href=\"javascript:injected.push(2)\">x</a>');"
                + "const s = document.createElement('script'); s.textContent = 'injected.push(3)';"
                + "document.head.appendChild(s); document.getElementById('jsurl').click();");
        List<String> refused = new ArrayList<>();
        browser.await(10, d -> {
            browser.console().stream()
                    .map(e -> e.getMessage())
                    .filter(m -> m.contains("Content Security Policy"))
                    .forEach(refused::add);
            return refused.size() >= 3; // the handler, the script, the javascript: URL
        });
        System.out.println("[ui] the browser refused: " + refused);
        assertThat(browser.js("return window.injected.length")).isEqualTo(0L);
        browser.driver.findElement(By.cssSelector("button.theme")).click(); // the UI's own scripts still run
        browser.assertNoConsoleErrors();
    }

    @Test
    @Order(3)
    void apiDocsRenderEveryOperation() throws Exception {
        browser.get(base + "/docs");
        browser.await(30, d -> d.findElements(By.cssSelector(".opblock")).size() > 0);
        var ops = browser.driver.findElements(By.cssSelector(".opblock .opblock-summary-path"));
        List<String> paths =
                ops.stream().map(e -> e.getDomAttribute("data-path")).toList();
        System.out.println("[ui] /docs shows " + ops.size() + " operations");
        assertThat(paths).contains("/api/v1/logs", "/api/v1/metrics/overview", "/api/v1/traces/{traceId}");
        assertThat(browser.driver.findElement(By.cssSelector(".info .title")).getText())
                .contains("LogFlow");
        browser.screenshot("api-docs");
        browser.assertNoConsoleErrors();
    }

    @Test
    @Order(4)
    void theUiIsCachedByValidatorsAndTheWebJarsForAYear() throws Exception {
        for (String path : List.of("/", "/ui/app.js")) {
            var first = send(path, null);
            assertThat(first.statusCode()).as(path).isEqualTo(200);
            String etag = first.headers().firstValue("ETag").orElse(null);
            assertThat(etag).as(path + " ETag").isNotBlank();
            assertThat(first.headers().firstValue("Cache-Control")).as(path).hasValue("no-cache");
            var again = send(path, etag);
            assertThat(again.statusCode()).as(path + " with If-None-Match").isEqualTo(304);
            // as browsers and proxies send it too: a list, and the weak form (RFC 9110's weak comparison)
            assertThat(send(path, "\"elsewhere\", " + etag).statusCode())
                    .as(path + " in a list")
                    .isEqualTo(304);
            assertThat(send(path, "W/" + etag).statusCode()).as(path + " weak").isEqualTo(304);
            assertThat(send(path, "\"elsewhere\"").statusCode())
                    .as(path + " changed")
                    .isEqualTo(200);
        }
        assertThat(send("/ui/app.js", null).headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).matches("(text|application)/javascript.*"));
        var webjar = send("/webjars/preact/10.28.0/dist/preact.module.js", null);
        assertThat(webjar.statusCode()).isEqualTo(200);
        assertThat(webjar.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(c -> assertThat(c).contains("max-age=31536000", "immutable"));
    }

    /**
     * The console check sees what it must: a request answered 404 is a SEVERE entry (why the overview asks a service's
     * metrics for its span p95, not its operations, which are 404 for a service without spans).
     */
    @Test
    @Order(5)
    void theConsoleCheckSeesAFailedRequest() {
        browser.get(base + "/");
        browser.await(20, d -> d.findElements(By.cssSelector(".stats .stat")).size() > 0);
        browser.assertNoConsoleErrors();
        browser.js("fetch('/api/v1/services/no-such-service/operations')");
        List<LogEntry> seen = new ArrayList<>();
        browser.await(10, d -> {
            seen.addAll(browser.console());
            return seen.stream()
                    .anyMatch(e ->
                            e.getLevel().equals(Level.SEVERE) && e.getMessage().contains("no-such-service"));
        });
    }

    static final String VIEWER = "vera-" + RUN;
    static final String EDITOR = "eddie-" + RUN;
    static final String VIEWER_PASSWORD = "vera-password-" + RUN;
    static final String EDITOR_PASSWORD = "eddie-password-" + RUN;
    /** The service whose errors fire the admin's rule. */
    static final String ROLES_SERVICE = "roles-" + RUN;
    /** The admin's rule (made through the API) and the alert it fired. */
    static String adminRule;

    static String adminAlert;

    /** Nobody signed in: the login page shows whatever the route; a wrong password says so; then the route opens. */
    @Test
    @Order(6)
    void theLoginPageGuardsEveryRoute_andOpensTheRouteAskedFor() throws Exception {
        browser.get(base + "/#/alerts?status=all");
        browser.forgetSession();
        browser.await(20, d -> d.findElement(By.id("login-username"))).sendKeys("admin");
        assertThat(browser.driver.findElements(By.cssSelector("nav.nav")))
                .as("no shell before login")
                .isEmpty();
        assertThat(browser.driver.findElements(By.linkText("Create an account")))
                .as("registration is offered: the server takes registrations for approval")
                .hasSize(1);
        browser.driver.findElement(By.id("login-password")).sendKeys("not-the-password");
        browser.screenshot("login");
        browser.driver
                .findElement(By.cssSelector("main.login button[type=submit]"))
                .click();
        assertThat(browser.await(20, d -> d.findElement(By.cssSelector("main.login .error")))
                        .getText())
                .isEqualTo("Wrong username or password.");
        browser.expectConsoleError("auth/login"); // the refused POST, as the browser logs it

        WebElement password = browser.driver.findElement(By.id("login-password"));
        password.clear();
        password.sendKeys(TestServers.ADMIN_PASSWORD);
        browser.driver
                .findElement(By.cssSelector("main.login button[type=submit]"))
                .click();
        browser.await(20, d -> d.findElements(By.cssSelector("nav.nav .who")).size() == 1);
        assertThat(browser.driver.getCurrentUrl()).as("the route asked for").endsWith("#/alerts?status=all");
        assertThat(browser.await(20, d -> d.findElement(By.cssSelector(".view.alerts h1")))
                        .getText())
                .isEqualTo("Alerts");
        assertThat(browser.driver.findElement(By.cssSelector("nav.nav .who")).getText())
                .contains("admin");
        assertThat(browser.driver.findElements(By.linkText("Admin")))
                .as("an admin's menu")
                .hasSize(1);
        browser.assertNoConsoleErrors();
    }

    /** A registration waits for an admin; the admin enables it and creates an editor on the admin page. */
    @Test
    @Order(7)
    void aRegistrationIsEnabledByAnAdmin_whoAlsoCreatesAnEditor() throws Exception {
        browser.get(base + "/");
        browser.forgetSession();
        browser.await(20, d -> d.findElement(By.linkText("Create an account"))).click();
        browser.await(5, d -> d.findElement(By.id("login-username"))).sendKeys(VIEWER);
        browser.driver.findElement(By.id("login-password")).sendKeys(VIEWER_PASSWORD);
        browser.driver
                .findElement(By.cssSelector("main.login button[type=submit]"))
                .click();
        String notice = browser.await(20, d -> d.findElement(By.cssSelector("main.login .notice")))
                .getText();
        assertThat(notice).contains(VIEWER, "admin must enable");
        // not yet: the server answers as for a wrong password (it does not tell who exists)
        signInAs(VIEWER, VIEWER_PASSWORD, false);
        assertThat(browser.await(20, d -> d.findElement(By.cssSelector("main.login .error")))
                        .getText())
                .isEqualTo("Wrong username or password.");
        browser.expectConsoleError("auth/login");

        browser.login(base, "admin", TestServers.ADMIN_PASSWORD);
        browser.get(base + "/#/admin");
        WebElement row = userRow(VIEWER);
        assertThat(row.findElement(By.cssSelector(".badge")).getText()).isEqualTo("disabled");
        row.findElement(By.xpath(".//button[text()='Enable']")).click();
        browser.await(
                20,
                d -> "enabled"
                        .equals(userRow(VIEWER)
                                .findElement(By.cssSelector(".badge"))
                                .getText()));
        assertThat(new Select(userRow(VIEWER).findElement(By.tagName("select")))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo("viewer");

        browser.driver.findElement(By.id("nu-username")).sendKeys(EDITOR);
        browser.driver.findElement(By.id("nu-password")).sendKeys(EDITOR_PASSWORD);
        new Select(browser.driver.findElement(By.id("nu-role"))).selectByValue("editor");
        browser.driver
                .findElement(By.xpath("//form[@aria-label='New user']//button[@type='submit']"))
                .click();
        assertThat(browser.await(20, d -> d.findElement(By.cssSelector("form[aria-label='New user'] .notice")))
                        .getText())
                .contains(EDITOR, "editor");
        browser.await(20, d -> userRow(EDITOR));
        browser.screenshot("admin");
        browser.assertNoConsoleErrors();
    }

    /** A viewer reads rules and alerts but is offered nothing that would change them, nor the admin page. */
    @Test
    @Order(8)
    void aViewerSeesNoControlThatWouldChangeAnything() throws Exception {
        // the admin's rule, fired by errors of its service (posted until it fires: the topology reads rules from
        // Kafka, so the first errors may come before it knows the rule)
        var created = api(
                "POST",
                "/api/v1/alerts/rules",
                "{\"name\":\"admin rule " + RUN + "\","
                        + "\"metric\":\"error_count\",\"condition\":\"greater_than\",\"threshold\":0,\"time_window\":5,"
                        + "\"services\":[\"" + ROLES_SERVICE + "\"],\"severity\":\"critical\","
                        + "\"notification_channel\":\"console\",\"is_active\":true}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        adminRule = JSON.readTree(created.body()).get("id").asString();
        adminAlert = awaitFiring(adminRule);

        signInAs(VIEWER, VIEWER_PASSWORD, true);
        assertThat(browser.driver.findElements(By.linkText("Admin")))
                .as("no admin menu")
                .isEmpty();
        browser.get(base + "/#/alerts?status=all");
        WebElement rule = ruleRow("admin rule " + RUN);
        assertThat(rule.getText()).contains("admin", "read-only");
        assertThat(browser.driver.findElements(By.linkText("New rule"))).isEmpty();
        WebElement alert = browser.await(20, d -> alertRow("admin rule " + RUN));
        assertThat(alert.findElements(By.tagName("button")))
                .as("no Acknowledge, no Resolve")
                .isEmpty();

        browser.get(base + "/#/rule/" + adminRule);
        assertThat(browser.await(20, d -> d.findElement(By.cssSelector(".notice.read-only")))
                        .getText())
                .contains("you may read this rule");
        assertThat(browser.driver.findElement(By.id("f-name")).isEnabled()).isFalse();
        assertThat(browser.driver.findElements(By.cssSelector("form button")))
                .as("no Save, no Delete")
                .isEmpty();
        browser.screenshot("rule-read-only");

        browser.get(base + "/#/alert/" + adminAlert);
        browser.await(20, d -> d.findElement(By.cssSelector(".view.alert .badge.firing")));
        assertThat(browser.driver.findElements(By.xpath("//button[text()='Acknowledge']")))
                .isEmpty();

        browser.get(base + "/#/admin");
        assertThat(browser.await(20, d -> d.findElement(By.cssSelector(".view .error")))
                        .getText())
                .contains("Only an admin");
        browser.assertNoConsoleErrors();
    }

    /**
     * An editor makes a rule in the form and may change it, but only reads the admin's; it acknowledges the admin's
     * alert, and the alert says by whom.
     */
    @Test
    @Order(9)
    void anEditorChangesItsOwnRuleOnly_andAcknowledgesAlerts() throws Exception {
        signInAs(EDITOR, EDITOR_PASSWORD, true);
        browser.get(base + "/#/alerts?status=all");
        browser.await(20, d -> d.findElement(By.linkText("New rule"))).click();
        browser.await(20, d -> d.findElement(By.id("f-name"))).sendKeys("editor rule " + RUN);
        WebElement threshold = browser.driver.findElement(By.id("f-threshold"));
        threshold.clear();
        threshold.sendKeys("1000");
        browser.driver.findElement(By.cssSelector("form button[type=submit]")).click();
        WebElement own = ruleRow("editor rule " + RUN);
        assertThat(own.getText()).contains(EDITOR).doesNotContain("read-only");
        assertThat(ruleRow("admin rule " + RUN).getText()).contains("read-only");

        own.findElement(By.linkText("editor rule " + RUN)).click();
        browser.await(20, d -> d.findElement(By.xpath("//button[text()='Save']")));
        assertThat(browser.driver.findElement(By.id("f-name")).isEnabled()).isTrue();
        assertThat(browser.driver.findElements(By.xpath("//button[text()='Delete']")))
                .hasSize(1);

        browser.get(base + "/#/rule/" + adminRule);
        assertThat(browser.await(20, d -> d.findElement(By.cssSelector(".notice.read-only")))
                        .getText())
                .contains("Only the rule's owner (admin)");
        assertThat(browser.driver.findElements(By.xpath("//button[text()='Save']")))
                .isEmpty();

        browser.get(base + "/#/alert/" + adminAlert);
        browser.await(20, d -> d.findElement(By.xpath("//button[text()='Acknowledge']")))
                .click();
        browser.await(
                20,
                d -> d.findElements(By.cssSelector(".view.alert .badge.acknowledged"))
                                .size()
                        > 0);
        JsonNode acknowledged = getJson("/api/v1/alerts/triggered/" + adminAlert);
        assertThat(acknowledged.get("status").asString()).isEqualTo("acknowledged");
        assertThat(acknowledged.get("acknowledged_by").asString()).isEqualTo(EDITOR);
        browser.assertNoConsoleErrors();
    }

    /**
     * An ingest token made on the admin page is shown once and works; revoked there, it is refused. Signing out ends
     * the session on the server too: its refresh token is refused afterwards.
     */
    @Test
    @Order(10)
    void anIngestTokenWorksUntilRevoked_andSigningOutEndsTheSession() throws Exception {
        browser.login(base, "admin", TestServers.ADMIN_PASSWORD);
        browser.get(base + "/#/admin");
        String name = "ui-" + RUN;
        browser.await(20, d -> d.findElement(By.id("token-name"))).sendKeys(name);
        browser.driver
                .findElement(By.xpath("//form[@aria-label='New ingest token']//button[@type='submit']"))
                .click();
        String token = browser.await(20, d -> d.findElement(By.cssSelector(".notice.issued pre.token")))
                .getText();
        assertThat(token).startsWith("lf_");
        assertThat(ingest(token)).isEqualTo(202);

        browser.await(20, d -> d.findElement(By.cssSelector("tr[data-token='" + name + "'] button.danger")))
                .click();
        browser.await(5, d -> {
                    try {
                        return d.switchTo().alert();
                    } catch (NoAlertPresentException e) {
                        return null;
                    }
                })
                .accept();
        browser.await(
                20,
                d -> "revoked"
                        .equals(d.findElement(By.cssSelector("tr[data-token='" + name + "'] .badge"))
                                .getText()));
        assertThat(ingest(token))
                .as("revoked on the instance that revoked it: at once")
                .isEqualTo(401);

        String refresh =
                String.valueOf(browser.js("return JSON.parse(localStorage.getItem('logflow.session')).refresh"));
        browser.driver.findElement(By.cssSelector("nav.nav button.signout")).click();
        browser.await(20, d -> d.findElement(By.id("login-username")));
        assertThat(browser.js("return localStorage.getItem('logflow.session')")).isNull();
        var again = api("POST", "/api/v1/auth/refresh", "{\"refresh_token\":\"" + refresh + "\"}");
        assertThat(again.statusCode())
                .as("the signed-out session's refresh token")
                .isEqualTo(401);
        browser.assertNoConsoleErrors();
    }

    /** An access token about to expire is refreshed before the next request: the user stays signed in. */
    @Test
    @Order(11)
    void anExpiringAccessTokenIsRefreshedWithoutTheUserNoticing() throws Exception {
        browser.login(base, "admin", TestServers.ADMIN_PASSWORD);
        String before = String.valueOf(browser.js("const s = JSON.parse(localStorage.getItem('logflow.session'));"
                + "s.expires = Date.now(); localStorage.setItem('logflow.session', JSON.stringify(s));"
                + "return s.refresh;"));
        browser.get(base + "/#/services");
        browser.get(base + "/#/overview");
        browser.await(
                20,
                d -> d.findElements(By.cssSelector("table.services tbody tr")).size() >= 3);
        String after = String.valueOf(browser.js("return JSON.parse(localStorage.getItem('logflow.session')).refresh"));
        assertThat(after).as("the refresh token was used (and replaced)").isNotEqualTo(before);
        assertThat(browser.driver.findElements(By.cssSelector("nav.nav .who"))).hasSize(1);
        browser.assertNoConsoleErrors();
    }

    /** Signs out whoever is signed in, then in as {@code username}; with {@code succeeds}, waits for the shell. */
    static void signInAs(String username, String password, boolean succeeds) {
        if (succeeds) {
            browser.login(base, username, password);
            return;
        }
        browser.get(base + "/");
        browser.forgetSession();
        WebElement name = browser.await(20, d -> d.findElement(By.id("login-username")));
        name.clear();
        name.sendKeys(username);
        browser.driver.findElement(By.id("login-password")).sendKeys(password);
        browser.driver
                .findElement(By.cssSelector("main.login button[type=submit]"))
                .click();
    }

    static WebElement userRow(String username) {
        return browser.await(20, d -> d.findElement(By.cssSelector("tr[data-user='" + username + "']")));
    }

    /** The rules table's row of the rule named {@code name}, once shown. */
    static WebElement ruleRow(String name) {
        return browser.await(
                20, d -> d.findElement(By.xpath("//table[contains(@class,'rules')]//tr[.//a[text()='" + name + "']]")));
    }

    /** The triggered alerts table's row of the rule named {@code name}, or null. */
    static WebElement alertRow(String name) {
        var rows = browser.driver.findElements(
                By.xpath("//table[contains(@class,'alerts')]//tr[.//a[text()='" + name + "']]"));
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Posts errors of {@link #ROLES_SERVICE} until {@code rule} fires; the alert's id. */
    static String awaitFiring(String rule) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            var posted = api(
                    "POST",
                    "/api/v1/logs",
                    "[{\"service\":\"" + ROLES_SERVICE + "\",\"level\":\"ERROR\","
                            + "\"message\":\"disk full\",\"timestamp\":\"" + Instant.now() + "\"}]");
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            JsonNode firing = getJson("/api/v1/alerts/triggered?status=firing&rule_id=" + rule);
            if (firing.get("alerts").size() > 0)
                return firing.get("alerts").get(0).get("alert_id").asString();
            Thread.sleep(1000); // polling the API until the rule has fired, not an assertion on time
        }
        throw new AssertionError("the rule " + rule + " never fired");
    }

    /** A JSON request as the first admin (an ingest route: with the ingest token). */
    static HttpResponse<String> api(String method, String path, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .headers(TestServers.auth(path))
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status of posting one log with {@code token}. */
    static int ingest(String token) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/logs"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("[{\"service\":\"" + ROLES_SERVICE
                                        + "\",\"level\":\"INFO\",\"message\":\"token works\"}]"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    static HttpResponse<String> send(String path, String ifNoneMatch) throws Exception {
        var req = HttpRequest.newBuilder(URI.create(base + path))
                .headers(TestServers.auth(path))
                .GET();
        if (ifNoneMatch != null) req.header("If-None-Match", ifNoneMatch);
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode getJson(String path) throws Exception {
        var r = send(path, null);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The value of the overview's figure labelled {@code label}, or null while it is not shown. */
    static String stat(String label) {
        for (WebElement s : browser.driver.findElements(By.cssSelector(".stats .stat"))) {
            if (label.equals(s.findElement(By.className("stat-label")).getText()))
                return s.findElement(By.className("stat-value")).getText();
        }
        return null;
    }

    static String theme() {
        return String.valueOf(browser.js("return document.documentElement.dataset.theme || ''"));
    }

    /** As the UI writes integers ({@code fmtInt}: en-US grouping). */
    static String fmt(long n) {
        return String.format(java.util.Locale.US, "%,d", n);
    }
}
