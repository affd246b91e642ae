package io.logflow.api;

import static io.logflow.api.LogFlowApiIT.metricWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.logflow.alerts.AlertEvent;
import io.logflow.alerts.AlertEventJson;
import io.logflow.alerts.Condition;
import io.logflow.alerts.Metric;
import io.logflow.alerts.Severity;
import io.logflow.api.alerting.AlertMessage;
import io.logflow.model.schema.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/**
 * Alerting against the real PostgreSQL (a database of its own) and a real broker: the rules API and
 * its topic, alert events produced to logflow.alerts as the topology would, their storage,
 * notifications to a webhook receiver in this test, the triggered-alerts API and the SSE stream.
 */
class AlertingIT {
    static final String SUFFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    static final String SEED = """
      {"name":"Critical Error Spike","description":"Alert when errors exceed threshold","condition":"greater_than",\
      "threshold":50,\
      "time_window":5,"levels":["ERROR"],"services":["payment-service"],"notification_channel":"webhook",\
      "notification_config":{"url":"http://127.0.0.1:9999/hook"},"is_active":true}""";

    static Instance app;
    static HttpServer receiver;
    static String hooks;
    static KafkaProducer<String, byte[]> producer;
    /** Bodies received per path, with the time they arrived. */
    static final Map<String, BlockingQueue<Received>> received = new ConcurrentHashMap<>();

    static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    record Received(long nanos, String body) {}

    @BeforeAll
    static void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(16));
        receiver.createContext("/", AlertingIT::hook);
        receiver.start();
        hooks = "http://127.0.0.1:" + receiver.getAddress().getPort();
        app = Instance.start(
                        "alert-it-" + SUFFIX,
                        Map.of(
                                "logflow.alerts.notify-timeout", "5s",
                                "logflow.alerts.stream-heartbeat", "1s",
                                "logflow.alerts.notify-sweep", "1s",
                                // the receivers of this test are on loopback: only 127.0.0.1 is allowed (ADR 025)
                                "logflow.alerts.webhook-allow", "127.0.0.1/32",
                                "logflow.cors.origins", "https://ops.example.com"))
                .awaitHealthy();
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestKafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** A webhook receiver on 127.0.0.2, loopback as well but not in the allow-list: it must never be called. */
    static HttpServer forbidden() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
        s.createContext("/", ex -> {
            forbiddenCalls.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        s.start();
        return s;
    }

    static final AtomicInteger forbiddenCalls = new AtomicInteger();

    @AfterAll
    static void stop() {
        if (producer != null) producer.close();
        if (app != null) app.close();
        if (receiver != null) receiver.stop(0);
    }

    /**
     * The webhook receiver: {@code /ok/*} answers 204; {@code /flaky/*} answers its first call after 3 s
     * with 500, its second at once with 500, then 200.
     */
    static void hook(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        byte[] body = ex.getRequestBody().readAllBytes();
        int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        int status = 204;
        if (path.startsWith("/flaky/")) {
            if (call == 1) sleep(3000);
            status = call <= 2 ? 500 : 200;
        }
        if (status < 300)
            received.computeIfAbsent(path, p -> new LinkedBlockingQueue<>())
                    .add(new Received(System.nanoTime(), new String(body, StandardCharsets.UTF_8)));
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    // ---------------------------------------------------------------- rules

    @Test
    void rulesCrud_theSeedBodyAsIs_andEveryChangeOnTheCompactedTopic() {
        Instance.Response created = app.post("/api/v1/alerts/rules", "application/json", SEED);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode rule = created.json();
        String id = rule.get("id").asString();
        assertThat(created.header("Location")).isEqualTo("/api/v1/alerts/rules/" + id);
        assertThat(rule.get("version").asLong()).isEqualTo(1);
        assertThat(rule.get("name").asString()).isEqualTo("Critical Error Spike");
        assertThat(rule.get("threshold").asDouble()).isEqualTo(50);
        assertThat(rule.get("time_window").asInt()).isEqualTo(5);
        assertThat(rule.get("levels").get(0).asString()).isEqualTo("ERROR");
        assertThat(rule.get("services").get(0).asString()).isEqualTo("payment-service");
        assertThat(rule.get("notification_channel").asString()).isEqualTo("webhook");
        assertThat(rule.get("notification_config").get("url").asString()).isEqualTo("http://127.0.0.1:9999/hook");
        assertThat(rule.get("is_active").asBoolean()).isTrue();
        assertThat(rule.get("created_at").asString())
                .isEqualTo(rule.get("updated_at").asString());

        Instance.Response got = app.get("/api/v1/alerts/rules/" + id);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json()).isEqualTo(rule);
        assertThat(ids(app.get("/api/v1/alerts/rules").json())).contains(id);
        assertThat(ids(app.get("/api/v1/alerts/rules?active=true").json())).contains(id);
        assertThat(ids(app.get("/api/v1/alerts/rules?active=false").json())).doesNotContain(id);

        String replacement = SEED.replace("\"threshold\":50", "\"threshold\":75")
                .replace("\"is_active\":true", "\"is_active\":false");
        Instance.Response replaced = app.request("PUT", "/api/v1/alerts/rules/" + id, replacement);
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().get("version").asLong()).isEqualTo(2);
        assertThat(replaced.json().get("threshold").asDouble()).isEqualTo(75);
        assertThat(replaced.json().get("created_at").asString())
                .isEqualTo(rule.get("created_at").asString());
        assertThat(ids(app.get("/api/v1/alerts/rules?active=false").json())).contains(id);
        // a rule fetched with GET can be sent back as it is
        assertThat(app.request("PUT", "/api/v1/alerts/rules/" + id, replaced.body())
                        .json()
                        .get("version")
                        .asLong())
                .isEqualTo(3);

        assertThat(app.request("DELETE", "/api/v1/alerts/rules/" + id, null).status())
                .isEqualTo(204);
        assertThat(app.get("/api/v1/alerts/rules/" + id).status()).isEqualTo(404);
        assertThat(app.request("DELETE", "/api/v1/alerts/rules/" + id, null).status())
                .isEqualTo(404);
        assertThat(ids(app.get("/api/v1/alerts/rules").json())).doesNotContain(id);

        // logflow.alert-rules: versions 1, 2, 3, then the tombstone, keyed by the rule id
        List<ConsumerRecord<String, byte[]>> onTopic = readAll(Topics.ALERT_RULES.name(), id, 4);
        assertThat(onTopic).hasSize(4);
        for (int v = 1; v <= 3; v++) {
            assertThat(Instance.JSON
                            .readTree(onTopic.get(v - 1).value())
                            .get("version")
                            .asLong())
                    .isEqualTo(v);
        }
        assertThat(Instance.JSON.readTree(onTopic.get(0).value())).isEqualTo(rule);
        assertThat(onTopic.get(3).value()).isNull();
    }

    @Test
    void invalidRules_are400_namingEveryBadField() {
        Instance.Response r = app.post(
                "/api/v1/alerts/rules",
                "application/json",
                "{\"name\":\"\",\"condition\":\"bigger\",\"threshold\":\"x\",\"treshold\":1,\"notification_channel\":"
                        + "\"webhook\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        for (JsonNode e : r.json().get("errors")) {
            fields.add(e.get("field").asString());
            assertThat(e.get("message").asString()).isNotBlank();
        }
        assertThat(fields).contains("name", "condition", "threshold", "treshold");
        assertThat(r.json().get("detail").asString()).contains("name").contains("treshold");

        assertThat(app.post("/api/v1/alerts/rules", "application/json", "not json")
                        .json()
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asString())
                .isEqualTo("body");
        assertThat(app.post("/api/v1/alerts/rules", "application/json", "[1]").status())
                .isEqualTo(400);
        assertThat(app.get("/api/v1/alerts/rules?active=maybe")
                        .json()
                        .get("parameter")
                        .asString())
                .isEqualTo("active");
    }

    @Test
    void unknownRules_are404_andMalformedIds400NamingId() {
        String unknown = UUID.randomUUID().toString();
        assertThat(app.get("/api/v1/alerts/rules/" + unknown).status()).isEqualTo(404);
        assertThat(app.request("PUT", "/api/v1/alerts/rules/" + unknown, SEED).status())
                .isEqualTo(404);
        assertThat(app.request("DELETE", "/api/v1/alerts/rules/" + unknown, null)
                        .status())
                .isEqualTo(404);
        Instance.Response bad = app.get("/api/v1/alerts/rules/not-a-uuid");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("parameter").asString()).isEqualTo("id");
        assertThat(app.request("PUT", "/api/v1/alerts/rules/12345", SEED)
                        .json()
                        .get("parameter")
                        .asString())
                .isEqualTo("id");
    }

    // ---------------------------------------------------------------- alerts

    @Test
    void aFiringAlert_isStoredOnce_notifiedOnce_listed_streamed_thenAcknowledgedAndResolvedThroughTheApi()
            throws Exception {
        String ruleId = createRule("stored-" + SUFFIX, hooks + "/ok/" + SUFFIX);
        AlertEvent firing = firing(ruleId, "stored-" + SUFFIX);
        String alertId = firing.alertId();
        try (SseClient sse = SseClient.connectLive(app.base + "/api/v1/stream/alerts", app.bearer())) {
            produce(AlertMessage.of(firing));
            produce(AlertMessage.of(firing)); // a replay: stored once, notified once

            Received hook = received(hooks.length(), "/ok/" + SUFFIX, Duration.ofSeconds(20));
            // the event JSON, and the alert's page in the UI (LOGFLOW_UI_URL: this server by default)
            String link = app.base + "/#/alert/" + alertId;
            assertThat(Instance.JSON.readTree(hook.body()))
                    .isEqualTo(Instance.JSON.readTree(io.logflow.alerts.Notifications.webhookBody(firing, link)));

            ServerSentEvent<String> first = nextAlert(sse, alertId);
            assertThat(first.event()).isEqualTo("alert");
            assertThat(Instance.JSON.readTree(first.data()))
                    .isEqualTo(Instance.JSON.readTree(AlertEventJson.write(firing)));
            String resumeFrom = first.id();
            assertThat(nextAlert(sse, alertId)).isNotNull(); // the second record (every record is streamed)

            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> listed("?rule_id=" + ruleId).size() == 1);
            JsonNode stored = listed("?rule_id=" + ruleId).get(0);
            assertThat(stored.get("alert_id").asString()).isEqualTo(alertId);
            assertThat(stored.get("status").asString()).isEqualTo("firing");
            assertThat(stored.get("value").asDouble()).isEqualTo(51);
            assertThat(stored.get("sample_trace_ids").get(0).asString())
                    .isEqualTo(firing.sampleTraceIds().get(0));
            assertThat(stored.get("fired_at").asString())
                    .isEqualTo(firing.firedAt().toString());
            Thread.sleep(500);
            assertThat(received.get("/ok/" + SUFFIX)).isEmpty(); // no second notification for the replay
            assertThat(attempts(alertId)).containsExactly("1 sent 204");

            // who acts is the signed-in editor: a body cannot speak for someone else
            String alice = "alice-" + SUFFIX;
            String bob = "bob-" + SUFFIX;
            Instance.Response ack = app.post(
                    "/api/v1/alerts/triggered/" + alertId + "/acknowledge",
                    "application/json",
                    "{\"by\":\"mallory\"}",
                    "Authorization",
                    app.userBearer(alice, "editor"));
            assertThat(ack.status()).as(ack.body()).isEqualTo(200);
            assertThat(ack.json().get("status").asString()).isEqualTo("acknowledged");
            assertThat(ack.json().get("acknowledged_by").asString()).isEqualTo(alice);
            Instance.Response one = app.get("/api/v1/alerts/triggered/" + alertId);
            assertThat(one.status()).as(one.body()).isEqualTo(200);
            assertThat(one.json().get("alert_id").asString()).isEqualTo(alertId);
            assertThat(one.json().get("status").asString()).isEqualTo("acknowledged");
            JsonNode acked = Instance.JSON.readTree(nextAlert(sse, alertId).data());
            assertThat(acked.get("state").asString()).isEqualTo("ACKNOWLEDGED");
            assertThat(acked.get("by").asString()).isEqualTo(alice);
            Instance.Response again =
                    app.post("/api/v1/alerts/triggered/" + alertId + "/acknowledge", "application/json", "");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.header("Content-Type")).startsWith("application/problem+json");

            Instance.Response resolved = app.post(
                    "/api/v1/alerts/triggered/" + alertId + "/resolve",
                    "application/json",
                    "",
                    "Authorization",
                    app.userBearer(bob, "editor"));
            assertThat(resolved.status()).as(resolved.body()).isEqualTo(200);
            assertThat(resolved.json().get("status").asString()).isEqualTo("resolved");
            assertThat(resolved.json().get("resolved_by").asString()).isEqualTo(bob);
            assertThat(resolved.json().get("acknowledged_at").asString())
                    .isEqualTo(ack.json().get("acknowledged_at").asString());
            JsonNode resolvedEvent =
                    Instance.JSON.readTree(nextAlert(sse, alertId).data());
            assertThat(resolvedEvent.get("state").asString()).isEqualTo("RESOLVED");
            assertThat(resolvedEvent.get("by").asString()).isEqualTo(bob);
            assertThat(app.post("/api/v1/alerts/triggered/" + alertId + "/resolve", "application/json", "")
                            .status())
                    .isEqualTo(409);
            assertThat(app.post("/api/v1/alerts/triggered/" + alertId + "/acknowledge", "application/json", "")
                            .status())
                    .isEqualTo(409);
            // the topology is told to forget the alert (keyed by its id), once
            List<ConsumerRecord<String, byte[]>> resets = readAll(Topics.ALERT_RESETS.name(), alertId, 2);
            assertThat(resets).hasSize(1);
            assertThat(AlertEventJson.read(resets.get(0).value()).state()).isEqualTo(AlertEvent.State.RESOLVED);
            assertThat(listed("?status=resolved&rule_id=" + ruleId)).hasSize(1);
            assertThat(listed("?status=firing&rule_id=" + ruleId)).isEmpty();

            // the manual resolve is notified too (RESOLVED), once
            Received resolvedHook = received(0, "/ok/" + SUFFIX, Duration.ofSeconds(20));
            assertThat(Instance.JSON.readTree(resolvedHook.body()).get("state").asString())
                    .isEqualTo("RESOLVED");

            // resuming from the first event's id replays everything after it, then goes on live
            try (SseClient resumed = SseClient.connect(app.base + "/api/v1/stream/alerts", resumeFrom, app.bearer())) {
                List<String> states = new ArrayList<>();
                for (int i = 0; i < 3; i++)
                    states.add(Instance.JSON
                            .readTree(nextAlert(resumed, alertId).data())
                            .get("state")
                            .asString());
                assertThat(states).containsExactly("FIRING", "ACKNOWLEDGED", "RESOLVED");
            }
        }
        // the topology resolving it later changes nothing
        produce(AlertMessage.of(new AlertEvent(
                alertId,
                ruleId,
                firing.ruleName(),
                firing.severity(),
                AlertEvent.State.RESOLVED,
                firing.service(),
                firing.metric(),
                firing.condition(),
                10,
                50,
                5,
                firing.windowStart(),
                firing.windowEnd(),
                List.of(),
                firing.firedAt(),
                firing.firedAt().plusSeconds(600),
                null)));
        Thread.sleep(1000);
        JsonNode after = listed("?rule_id=" + ruleId).get(0);
        assertThat(after.get("resolved_by").asString()).isEqualTo("bob-" + SUFFIX);
        assertThat(metricWith(
                        app.get("/actuator/prometheus").body(), "logflow_alerts_stored_total", "state=\"FIRING\""))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aFailingWebhook_isRetriedWithBackoff_whileAnotherAlertsWebhookIsDeliveredAtOnce() throws Exception {
        String flakyRule = createRule("flaky-" + SUFFIX, hooks + "/flaky/" + SUFFIX);
        String okRule = createRule("prompt-" + SUFFIX, hooks + "/ok/prompt-" + SUFFIX);
        AlertEvent flaky = firing(flakyRule, "flaky-" + SUFFIX);
        AlertEvent prompt = firing(okRule, "prompt-" + SUFFIX);
        long t0 = System.nanoTime();
        produce(AlertMessage.of(flaky));
        produce(AlertMessage.of(prompt));

        // the flaky webhook holds its first request for 3 s; the other alert's arrives meanwhile
        Received promptHook = received(0, "/ok/prompt-" + SUFFIX, Duration.ofSeconds(10));
        assertThat(TimeUnit.NANOSECONDS.toMillis(promptHook.nanos() - t0))
                .as("ms until the second alert's webhook")
                .isLessThan(2500);
        assertThat(received.get("/flaky/" + SUFFIX)).isNull();

        Received flakyHook = received(0, "/flaky/" + SUFFIX, Duration.ofSeconds(30));
        assertThat(Instance.JSON.readTree(flakyHook.body()).get("alert_id").asString())
                .isEqualTo(flaky.alertId());
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> attempts(flaky.alertId()).size() == 3);
        assertThat(attempts(flaky.alertId())).containsExactly("1 failed 500", "2 failed 500", "3 sent 200");
        List<Instant> at = attemptTimes(flaky.alertId());
        // backoff: 500 ms then 1 s (±20% jitter) after each failure returned
        assertThat(Duration.between(at.get(0), at.get(1)).toMillis()).isGreaterThanOrEqualTo(3000 + 400 - 50);
        assertThat(Duration.between(at.get(1), at.get(2)).toMillis()).isGreaterThanOrEqualTo(800 - 50);
        String prom = app.get("/actuator/prometheus").body();
        assertThat(metricWith(prom, "logflow_alerts_notifications_total", "outcome=\"failed\""))
                .isGreaterThanOrEqualTo(2);
        assertThat(metricWith(prom, "logflow_alerts_notifications_total", "outcome=\"sent\""))
                .isGreaterThanOrEqualTo(2);
        assertThat(metricWith(prom, "logflow_alerts_stream_clients", "")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void slackAndConsoleChannels_sendTheirPayloads() throws Exception {
        String slackRule = createRule("slack-" + SUFFIX, hooks + "/ok/slack-" + SUFFIX, "slack");
        String consoleRule = createRule("console-" + SUFFIX, null, "console");
        AlertEvent toSlack = firing(slackRule, "slack-" + SUFFIX);
        AlertEvent toConsole = firing(consoleRule, "console-" + SUFFIX);
        produce(AlertMessage.of(toSlack));
        produce(AlertMessage.of(toConsole));
        Received slack = received(0, "/ok/slack-" + SUFFIX, Duration.ofSeconds(20));
        assertThat(Instance.JSON.readTree(slack.body()))
                .isEqualTo(Instance.JSON.readTree(io.logflow.alerts.Notifications.slackBody(
                        toSlack, app.base + "/#/alert/" + toSlack.alertId())));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> attempts(toConsole.alertId()).equals(List.of("1 sent null")));
    }

    @Test
    void aWebhookToCloudMetadata_orAnAddressNotAllowed_isRefusedAtSave_with400NamingTheField() throws Exception {
        for (String url : List.of(
                "http://169.254.169.254/latest/meta-data",
                "http://[::ffff:169.254.169.254]/latest/meta-data",
                "http://2852039166/latest/meta-data",
                "http://127.0.0.2:9999/hook",
                "http://u:p@127.0.0.1:9999/hook")) {
            String body = SEED.replace("http://127.0.0.1:9999/hook", url);
            Instance.Response r = app.post("/api/v1/alerts/rules", "application/json", body);
            assertThat(r.status()).as(url + ": " + r.body()).isEqualTo(400);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.json().get("errors")).hasSize(1);
            assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("notification_config.url");
        }
        Instance.Response metadata = app.post(
                "/api/v1/alerts/rules",
                "application/json",
                SEED.replace("http://127.0.0.1:9999/hook", "http://169.254.169.254/latest/meta-data"));
        assertThat(metadata.json().get("errors").get(0).get("message").asString())
                .isEqualTo("may not be reached: 169.254.169.254 is a link-local (cloud metadata) address, not in "
                        + "LOGFLOW_WEBHOOK_ALLOW");

        // a replace is checked as a create
        String id = createRule("ssrf-" + SUFFIX, hooks + "/ok/ssrf-" + SUFFIX);
        Instance.Response replaced = app.request(
                "PUT",
                "/api/v1/alerts/rules/" + id,
                SEED.replace("http://127.0.0.1:9999/hook", "http://169.254.169.254/"));
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(400);
        assertThat(replaced.json().get("errors").get(0).get("field").asString()).isEqualTo("notification_config.url");
    }

    @Test
    void cors_aPreflightFromTheListedOriginIsAllowed_fromAnotherOneNot_andNeverOnInternal() {
        String[] listed = {
            "Origin",
            "https://ops.example.com",
            "Access-Control-Request-Method",
            "POST",
            "Access-Control-Request-Headers",
            "authorization,content-type"
        };
        Instance.Response ok = app.request("OPTIONS", "/api/v1/alerts/rules", null, listed);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Access-Control-Allow-Origin")).isEqualTo("https://ops.example.com");
        assertThat(ok.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(ok.header("Access-Control-Max-Age")).isEqualTo("1800");

        Instance.Response other = app.request(
                "OPTIONS",
                "/api/v1/alerts/rules",
                null,
                "Origin",
                "https://evil.example",
                "Access-Control-Request-Method",
                "POST");
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();

        Instance.Response internal = app.request("OPTIONS", "/internal/v1/service-stats", null, listed);
        assertThat(internal.header("Access-Control-Allow-Origin")).isNull();

        // a simple request from the listed origin is marked readable; from another, not
        assertThat(app.get("/api/v1/alerts/rules", "Origin", "https://ops.example.com")
                        .header("Access-Control-Allow-Origin"))
                .isEqualTo("https://ops.example.com");
        assertThat(app.get("/api/v1/alerts/rules", "Origin", "https://evil.example")
                        .header("Access-Control-Allow-Origin"))
                .isNull();
    }

    @Test
    void aNotificationToAnAddressNoLongerAllowed_isNotSent_butRefusedAndCountedAsFailed() throws Exception {
        // saved when its address was allowed (or its name resolved elsewhere): the send checks again, and the
        // receiver on 127.0.0.2 would answer if it were called
        HttpServer internal = forbidden();
        try {
            String alertId = "refused-" + UUID.randomUUID();
            String url = "http://127.0.0.2:" + internal.getAddress().getPort() + "/hook?token=secret";
            Instant now = Instant.now();
            app.bean(DatabaseClient.class)
                    .sql("INSERT INTO notifications (alert_id, event, channel, url, body, status, attempts, "
                            + "next_attempt_at, lease_until, created_at, updated_at) "
                            + "VALUES (:id, 'FIRING', 'webhook', :url, '{\"internal\":true}', 'pending', 0, :now, "
                            + ":past, :now, :now)")
                    .bind("id", alertId)
                    .bind("url", url)
                    .bind("now", now)
                    .bind("past", now.minusSeconds(60))
                    .then()
                    .block(Duration.ofSeconds(10));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(15))
                    .until(() -> !attempts(alertId).isEmpty());
            assertThat(attempts(alertId).get(0)).isEqualTo("1 failed null");
            String error = app.bean(DatabaseClient.class)
                    .sql("SELECT error FROM notification_attempts WHERE alert_id = :id AND attempt = 1")
                    .bind("id", alertId)
                    .map(row -> row.get("error", String.class))
                    .one()
                    .block(Duration.ofSeconds(10));
            assertThat(error)
                    .isEqualTo("refused: 127.0.0.2 is a loopback address, not in LOGFLOW_WEBHOOK_ALLOW")
                    .doesNotContain("secret");
            assertThat(forbiddenCalls).hasValue(0);
        } finally {
            internal.stop(0);
        }
    }

    @Test
    void aPendingNotificationWhoseOwnerWentAway_isTakenOver_atItsNextAttempt() throws Exception {
        // as an instance that stopped after a failed second attempt leaves it: pending, lease run out
        String alertId = "orphan-" + UUID.randomUUID();
        String path = "/ok/orphan-" + SUFFIX;
        Instant past = Instant.now().minusSeconds(120);
        app.bean(DatabaseClient.class)
                .sql("INSERT INTO notifications (alert_id, event, channel, url, body, status, attempts, "
                        + "next_attempt_at, lease_until, created_at, updated_at) "
                        + "VALUES (:id, 'FIRING', 'webhook', :url, '{\"orphan\":true}', 'pending', 2, :past, "
                        + ":past, :past, :past)")
                .bind("id", alertId)
                .bind("url", hooks + path)
                .bind("past", past)
                .then()
                .block(Duration.ofSeconds(10));
        Received r = received(0, path, Duration.ofSeconds(15));
        assertThat(r.body()).isEqualTo("{\"orphan\":true}");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> attempts(alertId).equals(List.of("3 sent 204")));
        String status = app.bean(DatabaseClient.class)
                .sql("SELECT status FROM notifications WHERE alert_id = :id")
                .bind("id", alertId)
                .map(row -> row.get("status", String.class))
                .one()
                .block(Duration.ofSeconds(10));
        assertThat(status).isEqualTo("sent");
    }

    @Test
    void theAlertStream_sendsHeartbeats_andRejectsAMalformedLastEventId() throws Exception {
        try (SseClient sse = SseClient.connectLive(app.base + "/api/v1/stream/alerts", app.bearer())) {
            ServerSentEvent<String> e = sse.events.poll(5, TimeUnit.SECONDS);
            assertThat(e).isNotNull();
            assertThat(e.comment()).isEqualTo("heartbeat");
        }
        Instance.Response bad = app.get("/api/v1/stream/alerts", "Last-Event-ID", "0:1,zz");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("parameter").asString()).isEqualTo("Last-Event-ID");
    }

    @Test
    void triggeredAlerts_badParameters400_unknown404() {
        assertThat(app.get("/api/v1/alerts/triggered?status=burning")
                        .json()
                        .get("parameter")
                        .asString())
                .isEqualTo("status");
        assertThat(app.get("/api/v1/alerts/triggered?limit=0")
                        .json()
                        .get("parameter")
                        .asString())
                .isEqualTo("limit");
        assertThat(app.get("/api/v1/alerts/triggered?limit=5").status()).isEqualTo(200);
        assertThat(app.get("/api/v1/alerts/triggered/nope-" + SUFFIX).status()).isEqualTo(404);
        assertThat(app.post("/api/v1/alerts/triggered/nope-" + SUFFIX + "/acknowledge", "application/json", "")
                        .status())
                .isEqualTo(404);
        assertThat(app.post("/api/v1/alerts/triggered/nope-" + SUFFIX + "/resolve", "application/json", "")
                        .status())
                .isEqualTo(404);
        assertThat(app.post("/api/v1/alerts/triggered/nope-" + SUFFIX + "/resolve", "application/json", "{\"by\":42}")
                        .json()
                        .get("parameter")
                        .asString())
                .isEqualTo("by");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The whole path: a rule created through the API reaches the topology, real error logs through
     * the ingest API breach it, the topology fires, the alert is stored, notified at the webhook,
     * listed and streamed, then acknowledged and resolved through the API.
     */
    @Test
    void aRuleCreatedThroughTheApi_firesOnRealLogs_atTheWebhook_inTheListAndOnTheStream() throws Exception {
        String service = "e2e-" + SUFFIX;
        String ruleId = createRule(service, hooks + "/e2e/" + SUFFIX);
        String errors =
                "{\"service\":\"" + service + "\",\"level\":\"ERROR\",\"message\":\"card declined\",\"trace_id\":\""
                        + LogFlowApiIT.randomTrace() + "\"}\n";
        try (SseClient sse = SseClient.connectLive(app.base + "/api/v1/stream/alerts", app.bearer())) {
            // the rule reaches every instance's topology within about a second; 50 errors do not breach "> 50"
            Thread.sleep(2000);
            assertThat(app.post("/api/v1/logs", "application/x-ndjson", errors.repeat(50))
                            .status())
                    .isEqualTo(202);
            Thread.sleep(1500);
            assertThat(received.getOrDefault("/e2e/" + SUFFIX, new LinkedBlockingQueue<>()))
                    .isEmpty();
            long t0 = System.nanoTime();
            assertThat(app.post("/api/v1/logs", "application/x-ndjson", errors).status())
                    .isEqualTo(202); // the 51st
            Received hook = received(0, "/e2e/" + SUFFIX, Duration.ofSeconds(30));
            System.out.printf("breaching log accepted -> webhook received: %.0f ms%n", (hook.nanos() - t0) / 1e6);
            JsonNode event = Instance.JSON.readTree(hook.body());
            assertThat(event.get("state").asString()).isEqualTo("FIRING");
            assertThat(event.get("rule_id").asString()).isEqualTo(ruleId);
            assertThat(event.get("service").asString()).isEqualTo(service);
            assertThat(event.get("value").asDouble()).isEqualTo(51);
            assertThat(event.get("sample_trace_ids").size()).isPositive();
            String alertId = event.get("alert_id").asString();
            assertThat(Instance.JSON
                            .readTree(nextAlert(sse, alertId).data())
                            .get("state")
                            .asString())
                    .isEqualTo("FIRING");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> listed("?status=firing&rule_id=" + ruleId).size() == 1);

            // more errors: still one FIRING (no second notification)
            assertThat(app.post("/api/v1/logs", "application/x-ndjson", errors.repeat(10))
                            .status())
                    .isEqualTo(202);
            Thread.sleep(2000);
            assertThat(received.get("/e2e/" + SUFFIX)).isEmpty();

            assertThat(app.post(
                                    "/api/v1/alerts/triggered/" + alertId + "/acknowledge",
                                    "application/json",
                                    "{\"by\":\"carol\"}")
                            .status())
                    .isEqualTo(200);
            assertThat(Instance.JSON
                            .readTree(nextAlert(sse, alertId).data())
                            .get("state")
                            .asString())
                    .isEqualTo("ACKNOWLEDGED");
            assertThat(app.post(
                                    "/api/v1/alerts/triggered/" + alertId + "/resolve",
                                    "application/json",
                                    "{\"by\":\"carol\"}")
                            .status())
                    .isEqualTo(200);
            assertThat(Instance.JSON
                            .readTree(nextAlert(sse, alertId).data())
                            .get("state")
                            .asString())
                    .isEqualTo("RESOLVED");
            assertThat(listed("?status=resolved&rule_id=" + ruleId)).hasSize(1);

            // resolved by hand while 61 errors are still in the window: the topology fires again, as a new alert
            JsonNode again = Instance.JSON.readTree(
                    received(0, "/e2e/" + SUFFIX, Duration.ofSeconds(30)).body());
            if (again.get("state").asString().equals("RESOLVED"))
                again = Instance.JSON.readTree(
                        received(0, "/e2e/" + SUFFIX, Duration.ofSeconds(30)).body()); // the resolve's own notification
            assertThat(again.get("state").asString()).isEqualTo("FIRING");
            assertThat(again.get("rule_id").asString()).isEqualTo(ruleId);
            assertThat(again.get("alert_id").asString()).isNotEqualTo(alertId);
            assertThat(again.get("value").asDouble()).isEqualTo(61);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> listed("?status=firing&rule_id=" + ruleId).size() == 1);
            assertThat(listed("?status=firing&rule_id=" + ruleId)
                            .get(0)
                            .get("alert_id")
                            .asString())
                    .isEqualTo(again.get("alert_id").asString());
        }
    }

    static String createRule(String service, String url) {
        return createRule(service, url, "webhook");
    }

    static String createRule(String service, String url, String channel) {
        String body = SEED.replace("payment-service", service)
                .replace("\"notification_channel\":\"webhook\"", "\"notification_channel\":\"" + channel + "\"");
        body = url == null
                ? body.replace("\"notification_config\":{\"url\":\"http://127.0.0.1:9999/hook\"},", "")
                : body.replace("http://127.0.0.1:9999/hook", url);
        Instance.Response r = app.post("/api/v1/alerts/rules", "application/json", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asString();
    }

    static AlertEvent firing(String ruleId, String service) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new AlertEvent(
                UUID.randomUUID().toString(),
                ruleId,
                "Critical Error Spike",
                Severity.CRITICAL,
                AlertEvent.State.FIRING,
                service,
                Metric.LOG_COUNT,
                Condition.GREATER_THAN,
                51,
                50,
                5,
                now.minusSeconds(300),
                now,
                List.of(LogFlowApiIT.randomTrace()),
                now,
                null,
                null);
    }

    static void produce(AlertMessage m) throws Exception {
        producer.send(new ProducerRecord<>(Topics.ALERTS.name(), m.key(), m.write()))
                .get(10, TimeUnit.SECONDS);
    }

    static Received received(int ignored, String path, Duration timeout) throws InterruptedException {
        Received r = received.computeIfAbsent(path, p -> new LinkedBlockingQueue<>())
                .poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(r).as("webhook call to " + path).isNotNull();
        return r;
    }

    static ServerSentEvent<String> nextAlert(SseClient sse, String alertId) throws InterruptedException {
        while (true) {
            ServerSentEvent<String> e = sse.nextLog(Duration.ofSeconds(20));
            assertThat(e).as("an SSE event of alert " + alertId).isNotNull();
            if (alertId.equals(Instance.JSON.readTree(e.data()).get("alert_id").asString())) return e;
        }
    }

    static List<JsonNode> listed(String query) {
        Instance.Response r = app.get("/api/v1/alerts/triggered" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("alerts").forEach(out::add);
        return out;
    }

    static List<String> attempts(String alertId) {
        return app.bean(DatabaseClient.class)
                .sql("SELECT attempt, outcome, http_status FROM notification_attempts WHERE alert_id = :id ORDER "
                        + "BY attempt")
                .bind("id", alertId)
                .map(r -> r.get("attempt", Integer.class) + " " + r.get("outcome", String.class) + " "
                        + r.get("http_status", Integer.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(10));
    }

    static List<Instant> attemptTimes(String alertId) {
        return app.bean(DatabaseClient.class)
                .sql("SELECT at FROM notification_attempts WHERE alert_id = :id ORDER BY attempt")
                .bind("id", alertId)
                .map(r -> r.get("at", Instant.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(10));
    }

    static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("rules").forEach(r -> out.add(r.get("id").asString()));
        return out;
    }

    /** The records of {@code key} on a topic, from the beginning, once {@code expected} are there (or 20 s passed). */
    static List<ConsumerRecord<String, byte[]>> readAll(String topic, String key, int expected) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestKafka.bootstrapServers(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200)))
                    if (key.equals(r.key())) out.add(r);
            }
        }
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
