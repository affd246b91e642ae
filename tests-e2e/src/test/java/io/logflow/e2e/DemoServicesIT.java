package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.infra.LocalKafka;
import io.logflow.infra.OtelAgent;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The demo services with the real OpenTelemetry agent on a real broker: one checkout through the
 * gateway is one trace across gateway, orders, payments and — after the Kafka hop — worker, in the
 * spans (printed by the agent's {@code logging-otlp} exporter as OTLP JSON) and in every service's
 * JSON log lines (trace and span ids from the agent's logback MDC instrumentation). Nothing in the
 * services knows about tracing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoServicesIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static LocalKafka kafka;
    private static DemoApps apps;
    private static final Map<String, List<String>> output = new ConcurrentHashMap<>();

    record Span(String service, String traceId, String spanId, String parentSpanId, String kind, String name) {}

    @BeforeAll
    static void start() throws Exception {
        kafka = LocalKafka.startTemporary();
        for (String s : DemoApps.SERVICES) output.put(s, new CopyOnWriteArrayList<>());
        apps = DemoApps.start(
                new DemoApps.Options(
                        DemoApps.classpath(),
                        OtelAgent.jar(),
                        kafka.bootstrapServers(),
                        "http://127.0.0.1:9",
                        0,
                        Path.of("target", "demo-services-it"),
                        Map.of(
                                "OTEL_TRACES_EXPORTER",
                                "logging-otlp",
                                "OTEL_LOGS_EXPORTER",
                                "none",
                                "OTEL_METRICS_EXPORTER",
                                "none",
                                "OTEL_BSP_SCHEDULE_DELAY",
                                "200",
                                "DEMO_SLOW_RATIO",
                                "0")),
                (service, line) -> output.get(service).add(line));
        apps.awaitReady(Duration.ofMinutes(3));
        System.out.println("demo services started (process start to 'ready', with the agent): " + apps.startupTimes());
    }

    @AfterAll
    static void stop() {
        if (apps != null) apps.close();
        if (kafka != null) kafka.close();
    }

    @Test
    @Order(1)
    void oneCheckout_isOneTrace_acrossHttpAndTheKafkaHop_inSpansAndLogLines() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(apps.gateway().resolve("/checkout?user=u-it&item=SKU-12345&qty=2"))
                                .timeout(Duration.ofSeconds(30))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);

        // the gateway's "checkout ..." line names the trace; every service must log in it, the worker last
        JsonNode checkout = await("gateway", l -> l.path("message").asString().startsWith("checkout for u-it:"));
        String trace = checkout.path("trace_id").asString();
        assertThat(trace).matches("[0-9a-f]{32}");
        JsonNode order = await("orders", l -> trace.equals(l.path("trace_id").asString()));
        JsonNode payment =
                await("payments", l -> trace.equals(l.path("trace_id").asString()));
        JsonNode fulfil = await("worker", l -> trace.equals(l.path("trace_id").asString()));
        assertThat(order.path("message").asString()).contains("SKU-12345");
        assertThat(payment.path("message").asString()).startsWith("captured");
        assertThat(fulfil.path("message").asString())
                .startsWith("fulfilling order")
                .contains("SKU-12345");
        for (JsonNode line : List.of(checkout, order, payment, fulfil)) {
            assertThat(line.path("span_id").asString()).matches("[0-9a-f]{16}");
            assertThat(line.path("level").asString()).isEqualTo("INFO");
        }

        // the spans: gateway SERVER -> CLIENT -> orders SERVER -> CLIENT -> payments SERVER, and
        // orders SERVER -> PRODUCER demo.orders -> worker CONSUMER demo.orders
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Span> spans = spans(trace);
        while (spans.size() < 7 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            spans = spans(trace);
        }
        Span gatewayServer = one(spans, "gateway", "SERVER");
        Span gatewayClient = one(spans, "gateway", "CLIENT");
        Span ordersServer = one(spans, "orders", "SERVER");
        Span ordersClient = one(spans, "orders", "CLIENT");
        Span paymentsServer = one(spans, "payments", "SERVER");
        Span producer = one(spans, "orders", "PRODUCER");
        Span consumer = one(spans, "worker", "CONSUMER");
        assertThat(spans).hasSize(7);
        assertThat(gatewayServer.parentSpanId()).isEmpty();
        assertThat(gatewayServer.name()).isEqualTo("GET /checkout");
        assertThat(gatewayClient.parentSpanId()).isEqualTo(gatewayServer.spanId());
        assertThat(ordersServer.parentSpanId()).isEqualTo(gatewayClient.spanId());
        assertThat(ordersClient.parentSpanId()).isEqualTo(ordersServer.spanId());
        assertThat(paymentsServer.parentSpanId()).isEqualTo(ordersClient.spanId());
        assertThat(producer.parentSpanId()).isEqualTo(ordersServer.spanId());
        assertThat(producer.name()).isEqualTo("demo.orders publish");
        assertThat(consumer.parentSpanId()).isEqualTo(producer.spanId());
        assertThat(consumer.name()).isEqualTo("demo.orders process");

        // each log line belongs to the span that was current where it was written
        assertThat(checkout.path("span_id").asString()).isEqualTo(gatewayServer.spanId());
        assertThat(order.path("span_id").asString()).isEqualTo(ordersServer.spanId());
        assertThat(payment.path("span_id").asString()).isEqualTo(paymentsServer.spanId());
        assertThat(fulfil.path("span_id").asString()).isEqualTo(consumer.spanId());
    }

    @Test
    @Order(2)
    void close_stopsEveryServiceCleanly_andKeepsTheirLastLines() {
        apps.close(); // what Ctrl-C on ./logflow demo does
        for (String service : DemoApps.SERVICES) {
            assertThat(output.get(service)).as(service).anyMatch(l -> l.contains("\"message\":\"stopped\""));
        }
    }

    /** The first JSON log line of a service that matches, waiting for it. */
    private static JsonNode await(String service, Predicate<JsonNode> match) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (String line : output.get(service)) {
                if (!line.startsWith("{\"@timestamp\"")) continue;
                JsonNode json = Api.JSON.readTree(line);
                if (match.test(json)) return json;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching log line from " + service + " within " + WAIT.toSeconds()
                        + " s; its output:\n" + apps.tail(service, 30));
            }
            Thread.sleep(100);
        }
    }

    /** The spans of one trace that the services' agents have printed so far (OTLP JSON, one ResourceSpans a line). */
    private static List<Span> spans(String traceId) {
        List<Span> spans = new ArrayList<>();
        output.forEach((service, lines) -> {
            for (String line : lines) {
                int at = line.indexOf("{\"resource\"");
                if (at < 0) continue;
                JsonNode resourceSpans = Api.JSON.readTree(line.substring(at));
                for (JsonNode scope : resourceSpans.path("scopeSpans")) {
                    for (JsonNode s : scope.path("spans")) {
                        if (!traceId.equals(s.path("traceId").asString())) continue;
                        spans.add(new Span(
                                service,
                                traceId,
                                s.path("spanId").asString(),
                                s.path("parentSpanId").asString(""),
                                kind(s.path("kind").asInt()),
                                s.path("name").asString()));
                    }
                }
            }
        });
        return spans;
    }

    private static String kind(int otlpKind) {
        return switch (otlpKind) {
            case 1 -> "INTERNAL";
            case 2 -> "SERVER";
            case 3 -> "CLIENT";
            case 4 -> "PRODUCER";
            case 5 -> "CONSUMER";
            default -> "UNSPECIFIED";
        };
    }

    private static Span one(List<Span> spans, String service, String kind) {
        Optional<Span> only = spans.stream()
                .filter(s -> s.service().equals(service) && s.kind().equals(kind))
                .reduce((a, b) -> {
                    throw new AssertionError("two " + kind + " spans from " + service + ": " + spans);
                });
        return only.orElseThrow(() -> new AssertionError("no " + kind + " span from " + service + " in " + spans));
    }
}
