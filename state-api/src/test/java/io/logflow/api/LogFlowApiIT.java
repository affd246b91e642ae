package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.api.web.RequestIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/** Ingest through the API, through the real topology on a real broker, out of every endpoint. */
@ExtendWith(OutputCaptureExtension.class)
class LogFlowApiIT {
    static final String SUFFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    static final String CHECKOUT = "checkout-" + SUFFIX;
    static final String PAYMENTS = "payments-" + SUFFIX;
    static final String TRACE = randomTrace();
    /**
     * When this class ingests, set right before it does: a time fixed when the class is loaded can be minutes old by
     * then, older than the logs other tests wrote to the shared topics meanwhile, and its 1-minute windows closed
     * (past the grace) in their partitions' stream time, so the windows would drop the logs the registry counts.
     */
    static long NOW;

    static Instance app;
    static Instance.Response ingestArray;
    static Instance.Response ingestNdjson;
    static Instance.Response ingestSingle;

    @BeforeAll
    static void startAndIngest() {
        app = Instance.start(
                        "api-it-" + SUFFIX,
                        Map.of(
                                "logflow.ingest.max-body-bytes",
                                65536,
                                "logging.level.io.logflow.api.ingest.IngestHandler",
                                "DEBUG"))
                .awaitHealthy();
        NOW = System.currentTimeMillis();
        // a JSON array: 3 valid entries, 1 without a message
        ingestArray = app.post(
                "/api/v1/logs",
                "application/json",
                "["
                        + log(CHECKOUT, "INFO", "user 1 logged in", null, NOW - 9000) + ","
                        + log(CHECKOUT, "error", "timeout after 30s for order 123", TRACE, NOW - 4000) + ","
                        + log(PAYMENTS, "WARNING", "slow charge", null, NOW - 8000) + ","
                        + "{\"service\":\"" + PAYMENTS + "\",\"level\":\"INFO\"}"
                        + "]");
        // NDJSON with other field spellings; one line is not JSON; the trace id as a UUID
        ingestNdjson = app.post(
                "/api/v1/logs",
                "application/x-ndjson",
                String.join(
                        "\n",
                        "{\"service_name\":\"" + CHECKOUT
                                + "\",\"severity\":\"ERROR\",\"msg\":\"timeout after 31s for order 456\",\"traceId\":\""
                                + uuid(TRACE) + "\",\"timestamp\":" + (NOW - 2000) + "}",
                        "{\"service\":{\"name\":\"" + PAYMENTS
                                + "\"},\"log.level\":\"info\",\"message\":\"charge ok\",\"trace.id\":\""
                                + TRACE.toUpperCase() + "\",\"@timestamp\":\"" + Instant.ofEpochMilli(NOW - 3000)
                                + "\"}",
                        "this is not json",
                        "",
                        log(PAYMENTS, "CRITICAL", "db down", null, NOW - 1000)));
        // one object
        ingestSingle = app.post(
                "/api/v1/logs",
                "application/json",
                log(CHECKOUT, "debug", "cache warmed", null, NOW - 7000),
                "X-Request-ID",
                "req-abc-123",
                "X-Correlation-ID",
                "corr-77");
        Awaitility.await("all 7 logs aggregated")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Instance.Response r = app.get("/api/v1/services");
                    if (r.status() != 200) return false;
                    return total(r.json(), CHECKOUT) == 4 && total(r.json(), PAYMENTS) == 3;
                });
    }

    @AfterAll
    static void stop() {
        if (app != null) app.close();
    }

    @Test
    void ingest_answers202_withCountsAndAReasonPerRejectedEntry() {
        assertThat(ingestArray.status()).isEqualTo(202);
        JsonNode a = ingestArray.json();
        assertThat(a.get("accepted").asInt()).isEqualTo(3);
        assertThat(a.get("rejected").asInt()).isEqualTo(1);
        assertThat(a.get("errors").get(0).get("index").asInt()).isEqualTo(3);
        assertThat(a.get("errors").get(0).get("reason").asString()).contains("message");

        JsonNode n = ingestNdjson.json();
        assertThat(ingestNdjson.status()).isEqualTo(202);
        assertThat(n.get("accepted").asInt()).isEqualTo(3);
        assertThat(n.get("rejected").asInt()).isEqualTo(1);
        assertThat(n.get("errors").get(0).get("index").asInt()).isEqualTo(2);
        assertThat(n.get("errors").get(0).get("reason").asString()).contains("JSON");

        assertThat(ingestSingle.status()).isEqualTo(202);
        assertThat(ingestSingle.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(ingestSingle.json().get("rejected").asInt()).isZero();
    }

    @Test
    void ndjson_isDetected_withoutItsContentType() {
        String svc = "detect-" + SUFFIX;
        Instance.Response r = app.post(
                "/api/v1/logs",
                "application/json",
                log(svc, "INFO", "a", null, NOW) + "\n" + log(svc, "INFO", "b", null, NOW));
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("accepted").asInt()).isEqualTo(2);
    }

    @Test
    void ingest_rejectsBodiesOverTheLimit_with413Problem() {
        byte[] big = new byte[70_000];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '[';
        big[big.length - 1] = ']';
        Instance.Response r = app.post("/api/v1/logs", "application/json", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asString()).contains("65536");
        // far beyond the limit: still a 413 the client can read
        Instance.Response huge = app.post("/api/v1/logs", "application/x-ndjson", new byte[3 * 1024 * 1024]);
        assertThat(huge.status()).isEqualTo(413);
        // and the service is fine afterwards
        assertThat(app.post("/api/v1/logs", "application/json", log("after-413-" + SUFFIX, "INFO", "ok", null, NOW))
                        .status())
                .isEqualTo(202);
    }

    @Test
    void ingest_rejectsAnEmptyOrNonJsonBody_with400() {
        assertThat(app.post("/api/v1/logs", "application/json", "").status()).isEqualTo(400);
        Instance.Response r = app.post("/api/v1/logs", "application/json", "hello");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void services_listsEveryServiceWithAllTimeCounts() {
        JsonNode services = app.get("/api/v1/services").json();
        JsonNode checkout = find(services.get("services"), "name", CHECKOUT);
        assertThat(checkout.get("total").asLong()).isEqualTo(4);
        assertThat(checkout.get("errors").asLong()).isEqualTo(2);
        assertThat(checkout.get("errorRate").asDouble()).isEqualTo(0.5);
        assertThat(checkout.get("byLevel").get("INFO").asLong()).isEqualTo(1);
        assertThat(checkout.get("byLevel").get("DEBUG").asLong()).isEqualTo(1);
        assertThat(checkout.get("firstSeen").asString())
                .isEqualTo(Instant.ofEpochMilli(NOW - 9000).toString());
        assertThat(checkout.get("lastSeen").asString())
                .isEqualTo(Instant.ofEpochMilli(NOW - 2000).toString());
        JsonNode payments = find(services.get("services"), "name", PAYMENTS);
        assertThat(payments.get("byLevel").get("FATAL").asLong()).isEqualTo(1);
        assertThat(payments.get("byLevel").get("WARN").asLong()).isEqualTo(1);
    }

    @Test
    void overview_countsByLevelAndService_andMergesErrorTemplatesAcrossWindows() {
        JsonNode o = app.getAvailable("/api/v1/metrics/overview?minutes=15").json();
        assertThat(o.get("minutes").asInt()).isEqualTo(15);
        JsonNode checkout = find(o.get("byService"), "name", CHECKOUT);
        assertThat(checkout.get("total").asLong()).isEqualTo(4);
        assertThat(find(o.get("byService"), "name", PAYMENTS).get("total").asLong())
                .isEqualTo(3);
        long sum = 0;
        for (JsonNode s : o.get("byService")) sum += s.get("total").asLong();
        assertThat(o.get("total").asLong()).isEqualTo(sum);
        assertThat(o.get("logsPerMinute").asDouble()).isEqualTo(sum / 15.0);
        JsonNode timeout = null;
        for (JsonNode e : o.get("topErrors")) {
            if (e.get("service").asString().equals(CHECKOUT)) timeout = e;
        }
        assertThat(timeout).isNotNull();
        assertThat(timeout.get("template").asString()).isEqualTo("timeout after <n>s for order <n>");
        assertThat(timeout.get("count").asLong()).isEqualTo(2);
        // a service that sent logs but no span: its entry says so
        assertThat(checkout.has("spans")).isTrue();
        assertThat(checkout.get("spans").isNull()).isTrue();
    }

    @Test
    void overview_showsLogsWrittenIntoWindowsItHasAlreadyRead() {
        // the overview keeps what it decoded from a window until that window is written again (StatsMemo)
        String svc = "memo-" + SUFFIX;
        long t = System.currentTimeMillis() - 20_000;
        for (int n = 1; n <= 3; n++) {
            assertThat(app.post("/api/v1/logs", "application/json", log(svc, "ERROR", "failure " + n, null, t))
                            .status())
                    .isEqualTo(202);
            long expected = n;
            Awaitility.await("overview counts " + n)
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        JsonNode o = app.getAvailable("/api/v1/metrics/overview?minutes=5")
                                .json();
                        for (JsonNode s : o.get("byService")) {
                            if (s.get("name").asString().equals(svc))
                                return s.get("total").asLong() == expected
                                        && s.get("errors").asLong() == expected;
                        }
                        return false;
                    });
        }
        JsonNode o = app.getAvailable("/api/v1/metrics/overview?minutes=5").json();
        long templates = 0;
        for (JsonNode e : o.get("topErrors")) {
            if (e.get("service").asString().equals(svc))
                templates += e.get("count").asLong();
        }
        assertThat(templates).isEqualTo(3);
    }

    @Test
    void serviceMetrics_ofAKnownService_and404ProblemForAnUnknownOne() {
        JsonNode m =
                app.get("/api/v1/metrics/service/" + CHECKOUT + "?minutes=60").json();
        assertThat(m.get("service").asString()).isEqualTo(CHECKOUT);
        assertThat(m.get("allTime").get("total").asLong()).isEqualTo(4);
        assertThat(m.get("window").get("total").asLong()).isEqualTo(4);
        assertThat(m.get("window").get("errors").asLong()).isEqualTo(2);
        assertThat(m.get("topErrors").get(0).get("count").asLong()).isEqualTo(2);
        assertThat(m.get("topErrors").get(0).get("exampleTraceId").asString()).isEqualTo(TRACE);

        Instance.Response unknown = app.get("/api/v1/metrics/service/no-such-service-" + SUFFIX);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertThat(unknown.json().get("detail").asString()).contains("no-such-service");
    }

    @Test
    void timeseries_bucketsPerInterval_forOneServiceOrAll() {
        String from = Instant.ofEpochMilli(NOW - 600_000).toString();
        JsonNode one = app.get("/api/v1/metrics/timeseries?service=" + CHECKOUT + "&interval=1m&from=" + from)
                .json();
        assertThat(one.get("interval").asString()).isEqualTo("1m");
        long sum = 0;
        for (JsonNode p : one.get("points")) sum += p.get("total").asLong();
        assertThat(sum).isEqualTo(4);
        assertThat(one.get("points").size()).isBetween(10, 12);

        JsonNode fiveMin = app.get(
                        "/api/v1/metrics/timeseries?service=" + PAYMENTS + "&interval=5m&from=" + (NOW - 3_600_000))
                .json();
        sum = 0;
        for (JsonNode p : fiveMin.get("points")) sum += p.get("total").asLong();
        assertThat(sum).isEqualTo(3);

        JsonNode all = app.get("/api/v1/metrics/timeseries?interval=1h").json();
        sum = 0;
        for (JsonNode p : all.get("points")) sum += p.get("total").asLong();
        assertThat(sum).isGreaterThanOrEqualTo(7);

        assertThat(app.get("/api/v1/metrics/timeseries?service=no-such-" + SUFFIX)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void timeseries_byService_isEachServicesOwnSeries_inOneAnswer() {
        // one fixed range for every request, so that the points are the same buckets
        String range = "&from=" + Instant.ofEpochMilli(NOW - 600_000) + "&to=" + Instant.ofEpochMilli(NOW + 60_000);
        JsonNode all = app.get("/api/v1/metrics/timeseries?by=service&limit=100&interval=1m" + range)
                .json();
        assertThat(all.get("by").asString()).isEqualTo("service");
        assertThat(all.get("limit").asInt()).isEqualTo(100);
        assertThat(all.get("services").size())
                .isBetween(2, 100)
                .isLessThanOrEqualTo(all.get("count").asInt());
        for (String service : List.of(CHECKOUT, PAYMENTS)) {
            JsonNode one = app.get("/api/v1/metrics/timeseries?interval=1m&service=" + service + range)
                    .json();
            JsonNode entry = find(all.get("services"), "service", service);
            assertThat(entry).as(service).isNotNull();
            assertThat(entry.get("points")).as(service).isEqualTo(one.get("points"));
            long sum = 0;
            for (JsonNode p : one.get("points")) sum += p.get("total").asLong();
            assertThat(entry.get("total").asLong()).as(service).isEqualTo(sum).isPositive();
        }
        // most logs first; the limit keeps the first ones
        long previous = Long.MAX_VALUE;
        for (JsonNode s : all.get("services")) {
            assertThat(s.get("total").asLong()).isLessThanOrEqualTo(previous);
            previous = s.get("total").asLong();
        }
        JsonNode top = app.get("/api/v1/metrics/timeseries?by=service&limit=1&interval=1m" + range)
                .json();
        assertThat(top.get("services").size()).isEqualTo(1);
        assertThat(top.get("services").get(0)).isEqualTo(all.get("services").get(0));
    }

    @Test
    void recent_isNewestFirst_filteredByServiceAndMinimumLevel() {
        JsonNode r = app.get("/api/v1/logs/recent?service=" + CHECKOUT).json();
        assertThat(r.get("count").asInt()).isEqualTo(4);
        assertThat(messages(r.get("logs")))
                .containsExactly(
                        "timeout after 31s for order 456",
                        "timeout after 30s for order 123",
                        "cache warmed",
                        "user 1 logged in");
        assertThat(r.get("logs").get(0).get("service.name").asString()).isEqualTo(CHECKOUT);
        assertThat(r.get("logs").get(0).get("trace.id").asString()).isEqualTo(TRACE);

        JsonNode errors = app.get("/api/v1/logs/recent?service=" + CHECKOUT + "&level=error")
                .json();
        assertThat(errors.get("count").asInt()).isEqualTo(2);

        JsonNode warnAndUp = app.get("/api/v1/logs/recent?service=" + PAYMENTS + "&level=WARN&limit=1")
                .json();
        assertThat(messages(warnAndUp.get("logs"))).containsExactly("db down");

        JsonNode everything = app.get("/api/v1/logs/recent?limit=1000").json();
        List<String> ours = new ArrayList<>();
        long previous = Long.MAX_VALUE;
        for (JsonNode l : everything.get("logs")) {
            long ts = Instant.parse(l.get("@timestamp").asString()).toEpochMilli();
            assertThat(ts).isLessThanOrEqualTo(previous);
            previous = ts;
            String svc = l.get("service.name").asString();
            if (svc.equals(CHECKOUT) || svc.equals(PAYMENTS))
                ours.add(l.get("message").asString());
        }
        assertThat(ours)
                .containsExactly(
                        "db down",
                        "timeout after 31s for order 456",
                        "charge ok",
                        "timeout after 30s for order 123",
                        "cache warmed",
                        "slow charge",
                        "user 1 logged in");
    }

    @Test
    void trace_returnsEveryServicesLogsInTimeOrder_whateverTheIdSpelling() {
        for (String id : List.of(TRACE, TRACE.toUpperCase(), uuid(TRACE))) {
            Instance.Response r = app.get("/api/v1/logs/trace/" + id);
            assertThat(r.status()).as(id).isEqualTo(200);
            JsonNode t = r.json();
            assertThat(t.get("traceId").asString()).isEqualTo(TRACE);
            assertThat(t.get("count").asInt()).isEqualTo(3);
            assertThat(messages(t.get("logs")))
                    .containsExactly("timeout after 30s for order 123", "charge ok", "timeout after 31s for order 456");
            assertThat(t.get("services").toString()).isEqualTo("[\"" + CHECKOUT + "\",\"" + PAYMENTS + "\"]");
        }
        Instance.Response missing = app.get("/api/v1/logs/trace/" + randomTrace());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void badParameters_are400Problems_namingTheParameter() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("/api/v1/metrics/overview?minutes=0", "minutes");
        cases.put("/api/v1/metrics/overview?minutes=abc", "minutes");
        cases.put("/api/v1/metrics/overview?minutes=1441", "minutes");
        cases.put("/api/v1/metrics/timeseries?interval=2m", "interval");
        cases.put("/api/v1/metrics/timeseries?from=yesterday", "from");
        cases.put("/api/v1/metrics/timeseries?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from");
        cases.put("/api/v1/metrics/timeseries?interval=1m&from=0", "from");
        cases.put("/api/v1/metrics/timeseries?by=level", "by");
        cases.put("/api/v1/metrics/timeseries?by=service&service=" + CHECKOUT, "by");
        cases.put("/api/v1/metrics/timeseries?by=service&limit=0", "limit");
        cases.put("/api/v1/metrics/timeseries?by=service&limit=101", "limit");
        cases.put("/api/v1/logs/recent?limit=0", "limit");
        cases.put("/api/v1/logs/recent?level=LOUD", "level");
        cases.put("/api/v1/logs/trace/not-a-trace", "traceId");
        cases.put("/api/v1/stream/logs?trace_id=xyz", "trace_id");
        cases.forEach((path, parameter) -> {
            Instance.Response r = app.get(path);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.header("Content-Type")).as(path).startsWith("application/problem+json");
            JsonNode p = r.json();
            assertThat(p.get("title").asString()).isEqualTo("Bad Request");
            assertThat(p.get("parameter").asString()).as(path).isEqualTo(parameter);
            assertThat(p.get("detail").asString()).as(path).contains(parameter);
        });
        JsonNode minutes = app.get("/api/v1/metrics/overview?minutes=0").json();
        assertThat(minutes.get("detail").asString()).isEqualTo("parameter 'minutes' must be between 1 and 1440");
    }

    @Test
    void unknownRoutes_are404Problems() {
        Instance.Response r = app.get("/api/v1/nope");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void requestAndCorrelationIds_areEchoed_orGenerated_onEveryResponse() {
        assertThat(ingestSingle.header("X-Request-ID")).isEqualTo("req-abc-123");
        assertThat(ingestSingle.header("X-Correlation-ID")).isEqualTo("corr-77");
        Instance.Response generated = app.get("/api/v1/services");
        assertThat(generated.header("X-Request-ID")).hasSize(36);
        assertThat(generated.header("X-Correlation-ID")).isEqualTo(generated.header("X-Request-ID"));
        Instance.Response error = app.get("/api/v1/logs/trace/zzz", "X-Request-ID", "err-1");
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.header("X-Request-ID")).isEqualTo("err-1");
        Instance.Response invalid = app.get("/health", "X-Request-ID", "bad id with spaces");
        assertThat(invalid.header("X-Request-ID"))
                .isNotEqualTo("bad id with spaces")
                .hasSize(36);
    }

    @Test
    void traceId_isOnEveryResponse_200_404_andProblems_fromTraceparentOrGenerated() {
        String trace = RequestIds.randomTraceId();
        String traceparent = "00-" + trace + "-00f067aa0ba902b7-01";
        Instance.Response ok = app.get("/api/v1/services", "traceparent", traceparent);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("X-Trace-ID"))
                .as("no agent in this JVM: the caller's trace")
                .isEqualTo(trace);

        Instance.Response unknownService = app.get("/api/v1/metrics/service/no-such-service-" + SUFFIX);
        assertThat(unknownService.status()).isEqualTo(404);
        assertThat(unknownService.header("Content-Type")).startsWith("application/problem+json");
        assertThat(unknownService.header("X-Trace-ID")).matches("[0-9a-f]{32}");

        Instance.Response unknownRoute = app.get("/api/v1/nope", "traceparent", traceparent);
        assertThat(unknownRoute.status()).isEqualTo(404);
        assertThat(unknownRoute.header("Content-Type")).startsWith("application/problem+json");
        assertThat(unknownRoute.header("X-Trace-ID")).isEqualTo(trace);

        Instance.Response badParameter =
                app.get("/api/v1/metrics/overview?minutes=0", "traceparent", "00-not-a-traceparent");
        assertThat(badParameter.status()).isEqualTo(400);
        assertThat(badParameter.header("Content-Type")).startsWith("application/problem+json");
        assertThat(badParameter.header("X-Trace-ID"))
                .as("invalid traceparent: generated")
                .matches("[0-9a-f]{32}")
                .isNotEqualTo(trace);

        Instance.Response tooLarge = app.post(
                "/api/v1/logs", "application/json", "[" + "1,".repeat(40_000) + "1]", "traceparent", traceparent);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.header("X-Trace-ID")).isEqualTo(trace);

        assertThat(app.get("/api/v1/services").header("X-Trace-ID"))
                .as("a new one per request")
                .isNotEqualTo(app.get("/api/v1/services").header("X-Trace-ID"));
    }

    @Test
    void ownLogLines_carryTheTraceId_withoutTheAgent(CapturedOutput output) {
        String svc = "mdc-trace-" + SUFFIX;
        String trace = RequestIds.randomTraceId();
        app.post(
                "/api/v1/logs",
                "application/json",
                log(svc, "INFO", "x", null, NOW),
                "X-Request-ID",
                "mdc-trace-req-" + SUFFIX,
                "traceparent",
                "00-" + trace + "-00f067aa0ba902b7-01");
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> output.getOut().contains("mdc-trace-req-" + SUFFIX));
        String line = output.getOut()
                .lines()
                .filter(l -> l.contains("mdc-trace-req-" + SUFFIX))
                .findFirst()
                .orElseThrow();
        assertThat(Instance.JSON.readTree(line).get("trace_id").asString()).isEqualTo(trace);
    }

    @Test
    void ownLogLines_areEcsJson_carryingTheRequestIdsInTheMdc(CapturedOutput output) {
        String svc = "mdc-" + SUFFIX;
        app.post(
                "/api/v1/logs",
                "application/json",
                log(svc, "INFO", "x", null, NOW),
                "X-Request-ID",
                "mdc-req-" + SUFFIX,
                "X-Correlation-ID",
                "mdc-corr-" + SUFFIX);
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> output.getOut().contains("mdc-req-" + SUFFIX));
        String line = output.getOut()
                .lines()
                .filter(l -> l.contains("mdc-req-" + SUFFIX))
                .findFirst()
                .orElseThrow();
        JsonNode json = Instance.JSON.readTree(line);
        assertThat(json.get("message").asString()).contains("ingested 1 logs");
        assertThat(json.get("request_id").asString()).isEqualTo("mdc-req-" + SUFFIX);
        assertThat(json.get("correlation_id").asString()).isEqualTo("mdc-corr-" + SUFFIX);
        assertThat(json.get("log").get("level").asString()).isEqualTo("DEBUG");
    }

    @Test
    void health_reportsKafkaAndStreams() {
        Instance.Response r = app.get("/health");
        assertThat(r.status()).isEqualTo(200);
        JsonNode h = r.json();
        assertThat(h.get("status").asString()).isEqualTo("UP");
        assertThat(h.get("kafka").get("status").asString()).isEqualTo("UP");
        assertThat(h.get("streams").get("state").asString()).isEqualTo("RUNNING");
        assertThat(h.get("instance").asString()).isEqualTo("127.0.0.1:" + app.port);
        assertThat(app.get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void malformedRecords_goToTheDeadLetterTopic_andAreCountedOnce() throws InterruptedException {
        double before = metric(app.get("/actuator/prometheus").body(), "logflow_dlq_records_total");
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                Map.of("bootstrap.servers", TestKafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            p.send(new ProducerRecord<>("logs", "{not json".getBytes())).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Awaitility.await("DLQ counter")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> metric(app.get("/actuator/prometheus").body(), "logflow_dlq_records_total") > before);
        Thread.sleep(1000);
        String text = app.get("/actuator/prometheus").body();
        assertThat(metric(text, "logflow_dlq_records_total")).isEqualTo(before + 1);
        assertThat(text).containsPattern("logflow_dlq_records_total\\{[^}]*reason=\"[a-z_]+\"");
    }

    @Test
    void systemVitals_listThisInstance_andTheIngestCountersMove() {
        Instance.Response first = app.get("/api/v1/metrics/system");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        JsonNode v = first.json();
        assertThat(v.get("instances").asInt()).isEqualTo(1);
        assertThat(v.get("answered").asInt()).isEqualTo(1);
        assertThat(v.get("ingest").get("api").get("perSecond").isNumber()).isTrue();
        assertThat(v.get("deadLetters").has("invalid_json")).isTrue(); // every known reason, at 0 or more
        assertThat(v.get("consumerLagTotal").isNumber()).isTrue();
        JsonNode self = v.get("instanceList").get(0);
        assertThat(self.get("instance").asString()).isEqualTo("127.0.0.1:" + app.port);
        assertThat(self.get("error").isNull()).isTrue();
        JsonNode vitals = self.get("vitals");
        assertThat(vitals.get("state").asString()).isEqualTo("RUNNING");
        assertThat(vitals.get("streamThreads").asInt()).isEqualTo(1);
        assertThat(vitals.get("threads").get(0).get("activeTasks").size()).isPositive();
        JsonNode stats = vitals.get("stores").get(io.logflow.model.schema.Stores.SERVICE_STATS.name());
        assertThat(stats.get("active").size()).isPositive(); // one instance: every partition
        assertThat(vitals.get("consumerLag").has("logs")).as(first.body()).isTrue();
        assertThat(vitals.get("consumed").get("logs").get("total").asDouble()).isPositive();
        double api = v.get("ingest").get("api").get("total").asDouble();
        double kafka = v.get("ingest").get("kafka").get("total").asDouble();

        app.ingest(List.of(log(CHECKOUT, "INFO", "vitals 1", null, NOW), log(CHECKOUT, "INFO", "vitals 2", null, NOW)));

        Awaitility.await("ingest counted in the vitals")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    JsonNode now = app.get("/api/v1/metrics/system").json();
                    assertThat(now.get("ingest").get("api").get("total").asDouble())
                            .isEqualTo(api + 2);
                    assertThat(now.get("ingest").get("api").get("perSecond").asDouble())
                            .isPositive();
                    assertThat(now.get("ingest").get("kafka").get("total").asDouble())
                            .isGreaterThanOrEqualTo(kafka + 2);
                });
        Awaitility.await("Kafka Streams' lag and store sizes in Prometheus")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> app.get("/actuator/prometheus").body().contains("estimate_num_keys{"));
        String text = app.get("/actuator/prometheus").body();
        assertThat(text) // every dead-letter reason is a series from the start, before its first dead letter
                .containsPattern("logflow_dlq_records_total\\{[^}]*reason=\"deserialization_error\"")
                .containsPattern("logflow_tail_resumes_total\\{[^}]*source=\"kafka\"")
                // the vitals' sources are in Prometheus too (Kafka Streams' metrics, through KafkaStreamsMetrics)
                .contains("records_lag{")
                .contains("records_consumed_total{")
                .contains("estimate_num_keys{");
    }

    @Test
    void prometheus_exposesIngestHttpTailAndKafkaStreamsMetrics() {
        String text = app.get("/actuator/prometheus").body();
        assertThat(metricWith(text, "logflow_ingest_logs_total", "outcome=\"rejected\""))
                .isGreaterThanOrEqualTo(2);
        assertThat(metricWith(text, "logflow_ingest_logs_total", "outcome=\"accepted\""))
                .isGreaterThanOrEqualTo(7);
        assertThat(text).contains("http_server_requests_seconds_count");
        assertThat(text).contains("logflow_tail_clients ");
        assertThat(text).contains("kafka_stream_");
    }

    // ---------------------------------------------------------------- helpers

    static String log(String service, String level, String message, String traceId, long ts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", ts);
        m.put("service", service);
        m.put("level", level);
        m.put("message", message);
        if (traceId != null) m.put("trace_id", traceId);
        m.put("region", "eu-west-1");
        return Instance.JSON.writeValueAsString(m);
    }

    static String randomTrace() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static String uuid(String trace) {
        return trace.substring(0, 8) + "-" + trace.substring(8, 12) + "-" + trace.substring(12, 16) + "-"
                + trace.substring(16, 20) + "-" + trace.substring(20);
    }

    static long total(JsonNode services, String name) {
        JsonNode s = find(services.get("services"), "name", name);
        return s == null ? -1 : s.get("total").asLong();
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) if (value.equals(n.get(field).asString())) return n;
        return null;
    }

    static List<String> messages(JsonNode logs) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : logs) out.add(l.get("message").asString());
        return out;
    }

    /** Sum of every sample of a Prometheus metric. */
    static double metric(String text, String name) {
        return metricWith(text, name, "");
    }

    static double metricWith(String text, String name, String labelPart) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                if (!line.contains(labelPart)) continue;
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
