package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a person does in the UI, in a real browser against every real part: Kafka, the server, Elasticsearch with the
 * Connect sink, and the four demo services traced by the OpenTelemetry agent. An alert rule is created in the form
 * (its field errors shown by the field), demo checkouts fail, the rule fires, and its notification's link leads to the
 * failing trace with its error log lines in view in at most three clicks, where the alert is acknowledged; a demo
 * trace shows its waterfall, critical path and every log under the span that wrote it; the service map draws the
 * demo's calls; a query finds a log posted seconds before and opens its context; the live tail shows a new log and
 * holds lines while paused. Each view's screenshot goes to {@code docs/screenshots}. No console errors anywhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(Browser.Required.class)
class UiWalkIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    static final String RULE = "payments failing " + RUN;

    @TempDir
    static Path dir;

    static SearchStack stack;
    static DemoApps apps;
    static Browser browser;
    static String base;
    static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** Trace ids of demo checkouts: one paid (201), one whose payment failed with an error (502). */
    static String paidTrace;

    static String failedTrace;

    @BeforeAll
    static void start() throws Exception {
        Browser.assumeInstalled();
        long t0 = System.nanoTime();
        stack = SearchStack.start(dir, "logflow-ui-walk", Map.of());
        base = stack.server.baseUri().toString();
        // half the payments fail: 60 % of those declined (WARN), 40 % with an error (ERROR in payments and orders)
        apps = TestServers.tracedDemo(dir.resolve("demo"), stack.kafka.bootstrapServers(), base, 0.5);
        apps.awaitReady(Duration.ofMinutes(3));
        browser = Browser.open();
        // SearchStack signed in the test's own requests; the browser signs in on the login page, as the first admin
        browser.login(base, "admin", TestServers.ADMIN_PASSWORD);
        System.out.printf(
                "[ui-walk] Kafka, Elasticsearch, the server, Connect, the demo and the browser up in %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {browser, apps, stack}) {
            try {
                if (c != null) c.close();
            } catch (Exception e) {
                System.out.println("[ui-walk] stopping: " + e);
            }
        }
    }

    /** A rule made in the form: first without a name (the API's message shows under that field), then whole. */
    @Test
    @Order(1)
    void aRuleIsCreatedInTheFormAndItsErrorsShowByTheirField() throws Exception {
        browser.get(base + "/#/rule/new");
        WebElement name = browser.await(20, d -> d.findElement(By.id("f-name")));
        setValue("f-threshold", "0");
        setValue("f-time_window", "5"); // firing until five minutes pass without an error: the test acknowledges it
        new Select(browser.driver.findElement(By.id("f-metric"))).selectByValue("error_count");
        new Select(browser.driver.findElement(By.id("f-condition"))).selectByValue("greater_than");
        setValue("f-services", "payments");
        new Select(browser.driver.findElement(By.id("f-severity"))).selectByValue("critical");
        browser.driver.findElement(By.cssSelector("form button[type=submit]")).click();
        WebElement nameError = browser.await(15, d -> d.findElement(By.id("f-name-error")));
        System.out.println("[ui-walk] the form without a name: " + nameError.getText());
        assertThat(nameError.getText()).isNotBlank();
        assertThat(name.getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.driver.findElements(By.cssSelector(".field.invalid label")).stream()
                        .map(WebElement::getText))
                .containsExactly("Name");
        browser.expectConsoleError("/api/v1/alerts/rules"); // the 400 this step asked for
        browser.screenshot("rule");

        name.sendKeys(RULE);
        browser.driver.findElement(By.cssSelector("form button[type=submit]")).click();
        browser.await(15, d -> d.getCurrentUrl().contains("#/alerts"));
        JsonNode rule = null;
        for (JsonNode r : getJson("/api/v1/alerts/rules").path("rules"))
            if (RULE.equals(r.path("name").asString())) rule = r;
        assertThat(rule).as("the rule the form created").isNotNull();
        assertThat(rule.get("metric").asString()).isEqualTo("error_count");
        assertThat(rule.get("threshold").asDouble()).isEqualTo(0.0);
        assertThat(rule.get("time_window").asInt()).isEqualTo(5);
        assertThat(rule.get("services").toString()).isEqualTo("[\"payments\"]");
        assertThat(rule.get("severity").asString()).isEqualTo("critical");
        browser.assertNoConsoleErrors();
    }

    /** Demo checkouts until one is paid and one failed in payments, each under a trace id of our own. */
    @Test
    @Order(2)
    void demoCheckoutsArriveAsTraces() throws Exception {
        for (int i = 0; i < 120 && (paidTrace == null || failedTrace == null); i++) {
            String trace = String.format(
                    "%016x%016x",
                    ThreadLocalRandom.current().nextLong(),
                    ThreadLocalRandom.current().nextLong());
            String parent = String.format("%016x", ThreadLocalRandom.current().nextLong() | 1);
            var r = http.send(
                    HttpRequest.newBuilder(apps.gateway().resolve("/checkout?user=u-ui&item=SKU-4711&qty=1"))
                            .header("traceparent", "00-" + trace + "-" + parent + "-01")
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 201 && paidTrace == null) paidTrace = trace;
            if (r.statusCode() == 502 && failedTrace == null) failedTrace = trace;
        }
        assertThat(paidTrace).as("a paid checkout").isNotNull();
        assertThat(failedTrace).as("a checkout whose payment failed").isNotNull();
        // both complete in the API: the paid one through the worker (7 spans), both with their logs
        poll(
                "/api/v1/traces/" + paidTrace,
                t -> t.path("spanCount").asInt() >= 7 && t.path("logs").size() >= 4);
        poll("/api/v1/traces/" + failedTrace, t -> levels(t).contains("ERROR"));
    }

    /** A demo trace: its waterfall, its critical path, and each log line under the span that wrote it. */
    @Test
    @Order(3)
    void aDemoTraceShowsItsWaterfallCriticalPathAndEveryLogUnderItsSpan() throws Exception {
        JsonNode trace = poll(
                "/api/v1/traces/" + paidTrace,
                t -> t.path("spanCount").asInt() >= 7 && t.path("logs").size() >= 4);
        browser.get(base + "/#/trace/" + paidTrace);
        browser.await(
                30,
                d -> d.findElements(By.cssSelector(".wf-span")).size()
                        == trace.get("spans").size());
        Map<String, String> serviceOfSpan = new HashMap<>();
        trace.get("spans")
                .forEach(s -> serviceOfSpan.put(
                        s.get("spanId").asString(), s.get("service").asString()));
        assertThat(browser.driver.findElements(By.cssSelector(".wf-span .wf-svc")).stream()
                        .map(WebElement::getText)
                        .distinct())
                .containsExactlyInAnyOrder("gateway", "orders", "payments", "worker");
        // the critical path: marked spans, and one marked segment at least
        assertThat(browser.driver.findElements(By.cssSelector(".wf-span.crit"))).isNotEmpty();
        assertThat(browser.driver.findElements(By.cssSelector(".wf-span .wf-crit")))
                .isNotEmpty();

        // every log of the trace with a span in it is shown once, right under that span's row (or its siblings' logs)
        JsonNode logs = trace.get("logs");
        @SuppressWarnings("unchecked")
        List<Map<String, String>> rows = (List<Map<String, String>>)
                browser.js("return [...document.querySelectorAll('.wf-body .wf-row')].map(r => ({"
                        + "kind: r.classList.contains('wf-span') ? 'span'"
                        + " : r.classList.contains('wf-log') ? 'log' : 'x',"
                        + "span: r.dataset.span || '', text: r.textContent}))");
        String under = null;
        int shown = 0;
        for (Map<String, String> row : rows) {
            if (row.get("kind").equals("span")) under = row.get("span");
            else if (row.get("kind").equals("log") && serviceOfSpan.containsKey(row.get("span"))) {
                assertThat(row.get("span"))
                        .as("the log line " + row.get("text"))
                        .isEqualTo(under);
                assertThat(row.get("text")).contains(serviceOfSpan.get(under));
                shown++;
            }
        }
        int inSpans = 0;
        for (JsonNode l : logs) if (serviceOfSpan.containsKey(l.path("spanId").asString())) inSpans++;
        assertThat(inSpans)
                .as("logs of the trace written inside one of its spans")
                .isGreaterThanOrEqualTo(4);
        List<String> apiLogs = new ArrayList<>();
        for (JsonNode l : logs)
            apiLogs.add(l.path("spanId").asString() + " " + l.path("eventId").asString() + " "
                    + l.path("message").asString());
        assertThat(shown)
                .as("log rows in the page: %s%nlogs the API answered: %s", rows, apiLogs)
                .isEqualTo(inSpans);
        Set<String> servicesWithLogs = new HashSet<>();
        for (JsonNode l : logs) servicesWithLogs.add(l.get("service").asString());
        System.out.printf(
                "[ui-walk] the paid trace: %d spans, %d log lines inline from %s%n",
                trace.get("spans").size(), shown, servicesWithLogs);

        // the trace-wide logs tab lists them all in time order
        browser.driver
                .findElement(By.cssSelector("a[role=tab][href*='tab=logs']"))
                .click();
        browser.await(10, d -> d.getCurrentUrl().contains("tab=logs"));
        browser.assertNoConsoleErrors();
    }

    /** The service map draws each of the demo's calls the API knows, and a click on a service opens its page. */
    @Test
    @Order(4)
    void theServiceMapShowsTheDemosEdges() throws Exception {
        Set<String> expected = Set.of("gateway>orders", "orders>payments", "orders>worker");
        JsonNode deps = poll("/api/v1/dependencies", d -> edges(d).containsAll(expected));
        browser.get(base + "/#/services");
        browser.await(
                30,
                d -> d.findElements(By.cssSelector("svg g.edge")).size()
                        == deps.get("edges").size());
        Set<String> drawn = new HashSet<>();
        for (WebElement e : browser.driver.findElements(By.cssSelector("svg g.edge title"))) {
            String t = e.getDomProperty("textContent");
            drawn.add(t.substring(0, t.indexOf(':')).replace(" → ", ">"));
        }
        assertThat(drawn).isEqualTo(edges(deps));
        assertThat(browser.driver.findElements(By.cssSelector("svg g.node")).size())
                .isEqualTo(deps.get("services").size());
        browser.screenshot("service-map");
        browser.assertNoConsoleErrors();

        browser.driver
                .findElement(By.cssSelector("svg g.node[aria-label^='payments,']"))
                .click();
        browser.await(20, d -> d.getCurrentUrl().contains("#/service/payments"));
        browser.await(
                30,
                d -> d.findElements(By.cssSelector(".view.service table.grid tbody tr"))
                                .size()
                        > 0);
        // RED over time: latency and calls charts of the service, then of the operation clicked (kept in the URL)
        browser.await(
                30, d -> d.findElements(By.cssSelector(".red-series .uplot")).size() == 2);
        browser.driver.findElement(By.cssSelector("a.op-select")).click();
        browser.await(10, d -> d.getCurrentUrl().contains("op="));
        browser.await(
                30,
                d -> d.findElements(By.cssSelector(".red-series .uplot")).size() == 2
                        && d.findElements(By.cssSelector(".view.service .loading"))
                                .isEmpty());
        assertThat(browser.driver
                        .findElement(By.cssSelector(".red-series .toolbar"))
                        .getText())
                .contains("POST /payments");
        browser.screenshot("service");
        browser.assertNoConsoleErrors();
    }

    /**
     * The rule fires on the failed payments; its console notification carries a link to the alert. From there: the
     * link (1), a sample trace (2), and the trace opens at its failure with the error log lines in view. Then the
     * alert is acknowledged on its page, and the API says so.
     */
    @Test
    @Order(5)
    void fromTheNotificationsLinkToTheErrorLogInThreeClicks_andTheAlertIsAcknowledged() throws Exception {
        String link = awaitNotificationLink(Duration.ofSeconds(90));
        System.out.println("[ui-walk] the notification's link: " + link);
        assertThat(link).startsWith(base + "/#/alert/");
        String alertId = link.substring(link.lastIndexOf('/') + 1);

        int clicks = 1; // following the notification's link
        browser.get(link);
        WebElement sample = browser.await(30, d -> d.findElement(By.cssSelector(".view.alert ul.plain a.mono")));
        browser.screenshot("alert");
        sample.click();
        clicks++;
        browser.await(20, d -> d.getCurrentUrl().contains("#/trace/"));
        // the failure in view, without a click: the ERROR line of payments, where the checkout failed, is inside the
        // waterfall's visible part
        WebElement errorLog = browser.await(30, d -> visibleErrorLogLine("charging order"));
        System.out.printf(
                "[ui-walk] %d clicks from the notification to the error log: %s%n", clicks, errorLog.getText());
        assertThat(clicks).isLessThanOrEqualTo(3);
        assertThat(errorLog.getText()).contains("ERROR", "payments");
        browser.screenshot("trace");
        browser.assertNoConsoleErrors();

        browser.get(link);
        browser.await(30, d -> d.findElement(By.xpath("//button[normalize-space(.)='Acknowledge']")))
                .click();
        browser.await(
                20, d -> d.findElements(By.cssSelector(".badge.acknowledged")).size() > 0);
        JsonNode acknowledged = getJson("/api/v1/alerts/triggered/" + alertId);
        assertThat(acknowledged.get("status").asString()).isEqualTo("acknowledged");
        assertThat(acknowledged.get("acknowledged_by").asString())
                .as("by the signed-in user")
                .isEqualTo("admin");
        browser.get(base + "/#/alerts?status=all");
        browser.await(
                20, d -> d.findElements(By.cssSelector("table.alerts tbody tr")).size() > 0);
        browser.screenshot("alerts");
        browser.assertNoConsoleErrors();
    }

    /** The traces search finds the failed checkout by service and error, with its duration bar. */
    @Test
    @Order(6)
    void theTracesSearchFindsTheFailedCheckout() throws Exception {
        browser.get(base + "/#/traces?service=orders&error=true&range=15m");
        browser.await(
                30,
                d -> d.findElements(By.cssSelector("a[href*='" + failedTrace + "']"))
                                .size()
                        > 0);
        browser.screenshot("traces");
        browser.assertNoConsoleErrors();
    }

    /** A log posted seconds ago is found by a query, its match highlighted, and the lines around it open. */
    @Test
    @Order(7)
    void aQueryFindsALogPostedSecondsAgoAndItsContextOpens() throws Exception {
        String service = "walk-" + RUN;
        String token = "zq" + RUN;
        Instant t0 = Instant.now().minusSeconds(5);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 9; i++) {
            if (i > 0) body.append(',');
            String message = i == 4
                    ? "deadlock detected on table orders " + token
                    : "step " + i + " of the nightly reconciliation done";
            body.append(log(service, i == 4 ? "ERROR" : "INFO", message, t0.plusMillis(100L * i)));
        }
        post(body.append(']').toString());

        browser.get(base + "/#/logs?range=15m");
        WebElement q = browser.await(20, d -> d.findElement(By.cssSelector("form.logs-query input[name=q]")));
        q.sendKeys("service:(" + Keys.ENTER);
        WebElement qError = browser.await(20, d -> d.findElement(By.id("logs-q-error")));
        System.out.println("[ui-walk] a typo in the query: " + qError.getText());
        assertThat(qError.getText()).isNotBlank();
        browser.expectConsoleError("/api/v1/logs/search"); // the 400 this step asked for

        // the log is searchable once Connect has indexed it: search again until it is (a person presses Enter)
        q.sendKeys(Keys.chord(Keys.CONTROL, "a"), token, Keys.ENTER);
        WebElement line = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (line == null && System.nanoTime() < deadline) {
            try {
                line = browser.await(
                        3,
                        d -> d.findElement(By.xpath(
                                "//div[contains(@class,'log-line')][.//span[contains(@class,'log-msg')][contains(.,'"
                                        + token + "')]]")));
            } catch (org.openqa.selenium.TimeoutException notYet) {
                browser.driver
                        .findElement(By.cssSelector("form.logs-query button[type=submit]"))
                        .click();
            }
        }
        assertThat(line).as("the search result for " + token).isNotNull();
        assertThat(line.findElement(By.cssSelector(".log-msg mark")).getText()).isEqualToIgnoringCase(token);
        line.findElement(By.cssSelector("button.log-toggle")).click();
        browser.await(10, d -> d.findElement(By.xpath("//button[text()='Show context']")))
                .click();
        // the context is asked once the line itself is searchable; a neighbour indexed a moment later (or the line,
        // when the context's read came first: 404) is there on the next ask, which a person makes with the panel's
        // button ("Try again", or "Show 40 each side")
        long contextDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (browser.driver.findElements(By.cssSelector(".context .ctx-line")).size() != 9
                && System.nanoTime() < contextDeadline) {
            try {
                browser.await(
                        5,
                        d -> d.findElements(By.cssSelector(".context .ctx-line"))
                                        .size()
                                == 9);
            } catch (org.openqa.selenium.TimeoutException notYet) {
                browser.driver.findElements(By.cssSelector(".context.panel button")).stream()
                        .filter(WebElement::isEnabled)
                        .findFirst()
                        .ifPresent(WebElement::click);
            }
        }
        assertThat(browser.driver.findElements(By.cssSelector(".context .ctx-line")))
                .as("the context's lines")
                .hasSize(9);
        assertThat(browser.driver
                        .findElement(By.cssSelector(".context .ctx-line.anchor"))
                        .getText())
                .contains(token);
        browser.screenshot("logs");
        browser.console(); // a context asked before the line was indexed may answer 404 once: the UI says so
    }

    /** The live tail shows a log posted while it is open; paused, it holds new lines until resumed. */
    @Test
    @Order(8)
    void theLiveTailShowsANewLogAndHoldsLinesWhilePaused() throws Exception {
        String service = "tail-" + RUN;
        browser.get(base + "/#/logs?live=1&service=" + service);
        browser.await(20, d -> d.findElements(By.cssSelector(".conn.open")).size() > 0);
        long posted = System.nanoTime();
        post("[" + log(service, "WARN", "queue depth 9001 above 9000", Instant.now()) + "]");
        browser.await(
                30,
                d -> d.findElements(By.xpath("//div[contains(@class,'log-line')][contains(.,'queue depth 9001')]"))
                                .size()
                        == 1);
        System.out.printf(
                "[ui-walk] the live tail showed a log %.0f ms after it was posted%n",
                (System.nanoTime() - posted) / 1e6);

        browser.driver.findElement(By.xpath("//button[text()='Pause']")).click();
        post("[" + log(service, "INFO", "queue drained", Instant.now()) + "]");
        WebElement resume = browser.await(
                30, d -> d.findElement(By.xpath("//button[starts-with(normalize-space(.),'Resume · 1')]")));
        assertThat(browser.driver.findElements(
                        By.xpath("//div[contains(@class,'log-line')][contains(.,'queue drained')]")))
                .as("held while paused")
                .isEmpty();
        resume.click();
        browser.await(
                10,
                d -> d.findElements(By.xpath("//div[contains(@class,'log-line')][contains(.,'queue drained')]"))
                                .size()
                        == 1);
        browser.screenshot("live-tail");
        browser.assertNoConsoleErrors();
    }

    /**
     * A 1,000-span trace (the most a trace keeps by default): only the rows in view are in the page, it opens at its
     * one failed span, the filter finds one span among the thousand, and collapsing leaves the top of the tree.
     */
    @Test
    @Order(9)
    void aThousandSpanTraceIsUsable() throws Exception {
        String trace = String.format("%032x", ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        long start = (System.currentTimeMillis() - 60_000) * 1_000_000L;
        List<String> spans = new ArrayList<>();
        String root = "%016x".formatted(1);
        spans.add(otlpSpan("edge", trace, root, null, "GET /batch", start, 2_000_000_000L, false));
        for (int k = 1; k <= 9; k++) {
            String child = "%016x".formatted(100 + k);
            long at = start + k * 200_000_000L;
            spans.add(otlpSpan("svc-" + k % 4, trace, child, root, "batch " + k, at, 190_000_000L, false));
            for (int j = 0; j < 110; j++) {
                String leaf = "%016x".formatted(1000 * k + j);
                long t = at + j * 1_500_000L;
                spans.add(
                        otlpSpan("store", trace, leaf, child, "item " + k + "." + j, t, 1_000_000L, k == 7 && j == 77));
            }
        }
        assertThat(spans).hasSize(1000);
        var r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/traces"))
                        .headers(TestServers.auth("/v1/traces"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"resourceSpans\":[" + String.join(",", spans) + "]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        poll("/api/v1/traces/" + trace, t -> t.path("spanCount").asInt() == 1000);

        long t0 = System.nanoTime();
        browser.get(base + "/#/trace/" + trace);
        browser.await(
                30,
                d -> d.findElement(By.cssSelector(".wf-head .wf-name"))
                        .getText()
                        .contains("1,000 spans"));
        WebElement failed = browser.await(
                30,
                d -> d.findElement(By.xpath(
                        "//div[contains(@class,'wf-span')][contains(@class,'err')][.//span[text()='item 7.77']]")));
        System.out.printf(
                "[ui-walk] a 1,000-span trace open at its failed span in %.0f ms, %d span rows in the page%n",
                (System.nanoTime() - t0) / 1e6,
                browser.driver.findElements(By.cssSelector(".wf-span")).size());
        assertThat(inWaterfallView(failed)).as("the failed span is in view").isTrue();
        assertThat(browser.driver.findElements(By.cssSelector(".wf-span")).size())
                .as("rows in the page: only those near the view")
                .isLessThan(150);

        browser.driver.findElement(By.cssSelector("input.wf-filter")).sendKeys("item 3.42");
        browser.await(
                10, d -> d.findElement(By.cssSelector(".wf-tools")).getText().contains("1 of 1,000 match"));
        browser.driver
                .findElement(By.xpath("//label[contains(.,'hide others')]/input"))
                .click();
        browser.await(10, d -> d.findElements(By.cssSelector(".wf-span")).size() == 3); // the match and its parents
        browser.driver
                .findElement(By.xpath("//label[contains(.,'hide others')]/input"))
                .click();
        browser.await(10, d -> d.findElements(By.cssSelector(".wf-span")).size() > 3); // the others are back
        browser.driver
                .findElement(By.cssSelector("input.wf-filter"))
                .sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        // the filter leaves the URL (debounced) before the tree is collapsed
        browser.await(
                10,
                d -> !d.getCurrentUrl().contains("q=")
                        && !d.findElement(By.cssSelector(".wf-tools")).getText().contains("match"));
        browser.driver.findElement(By.xpath("//button[text()='Collapse all']")).click();
        browser.await(10, d -> d.findElements(By.cssSelector(".wf-span")).size() == 10); // the root and its 9 children
        browser.assertNoConsoleErrors();
    }

    static String otlpSpan(
            String service,
            String trace,
            String id,
            String parent,
            String name,
            long startNanos,
            long nanos,
            boolean error) {
        return "{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"" + service
                + "\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"ui-walk\"},\"spans\":[{\"traceId\":\"" + trace
                + "\",\"spanId\":\"" + id + "\"" + (parent == null ? "" : ",\"parentSpanId\":\"" + parent + "\"")
                + ",\"name\":\"" + name + "\",\"kind\":" + (parent == null ? 2 : 1) + ",\"startTimeUnixNano\":\""
                + startNanos + "\",\"endTimeUnixNano\":\"" + (startNanos + nanos) + "\""
                + (error ? ",\"status\":{\"code\":2,\"message\":\"disk full\"}" : "") + "}]}]}";
    }

    /** Whether the element is inside the waterfall's visible part. */
    static boolean inWaterfallView(WebElement e) {
        return Boolean.TRUE.equals(browser.js(
                "const box = document.querySelector('.wf-body').getBoundingClientRect();"
                        + "const b = arguments[0].getBoundingClientRect();"
                        + "return b.top >= box.top && b.bottom <= box.bottom;",
                e));
    }

    /** The trace view's ERROR log line containing {@code text} inside the waterfall's visible part, or null. */
    static WebElement visibleErrorLogLine(String text) {
        Object el = browser.js(
                "const body = document.querySelector('.wf-body'); if (!body) return null;"
                        + "const box = body.getBoundingClientRect();"
                        + "const inView = (r) => { const b = r.getBoundingClientRect();"
                        + " return b.top >= box.top && b.bottom <= box.bottom; };"
                        + "return [...body.querySelectorAll('.wf-log.lv-ERROR')]"
                        + ".find(r => r.textContent.includes(arguments[0]) && inView(r)) || null;",
                text);
        return (WebElement) el;
    }

    /** The link in the console notification of {@link #RULE}'s firing, from the server's log. */
    static String awaitNotificationLink(Duration timeout) throws Exception {
        // the server logs JSON lines: the console line is the message, its quotes escaped
        Pattern p = Pattern.compile("ALERT FIRING .*" + Pattern.quote(RULE) + ".* link=(http[^\\s\"\\\\]+)");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(dir.resolve("server.log"))) {
                Matcher m = p.matcher(line);
                if (m.find()) return m.group(1);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no FIRING notification of '" + RULE + "' in the server's log within " + timeout
                + "; alerts: " + getJson("/api/v1/alerts/triggered"));
    }

    static void setValue(String id, String value) {
        WebElement e = browser.driver.findElement(By.id(id));
        e.clear();
        e.sendKeys(value);
    }

    static Set<String> edges(JsonNode deps) {
        Set<String> out = new HashSet<>();
        deps.get("edges")
                .forEach(e -> out.add(
                        e.get("caller").asString() + ">" + e.get("callee").asString()));
        return out;
    }

    static Set<String> levels(JsonNode logs) {
        Set<String> out = new HashSet<>();
        logs.path("logs").forEach(l -> out.add(l.path("level").asString()));
        return out;
    }

    static String log(String service, String level, String message, Instant at) {
        return "{\"service\":\"" + service + "\",\"level\":\"" + level + "\",\"message\":\"" + message
                + "\",\"timestamp\":\"" + at + "\"}";
    }

    static void post(String json) throws Exception {
        var r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/logs"))
                        .headers(TestServers.auth("/api/v1/logs"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    static JsonNode getJson(String path) throws Exception {
        var r = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .headers(TestServers.auth(path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Polls the API (not an assertion on time) until {@code done}; the last answer. */
    static JsonNode poll(String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            var r = http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .headers(TestServers.auth(path))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode n = JSON.readTree(r.body());
                if (done.test(n)) return n;
            }
            seen.add(r.statusCode() + " "
                    + r.body().substring(0, Math.min(300, r.body().length())));
            Thread.sleep(300);
        }
        throw new AssertionError(path + " never answered as expected; last: " + seen.get(seen.size() - 1));
    }
}
