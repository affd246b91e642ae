package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.infra.LocalKafka;
import io.logflow.infra.OtelAgent;
import io.logflow.infra.ScratchDatabase;
import io.logflow.infra.StateApiProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code docs/adding-a-service.md}, run as written, so the page cannot drift from what works: a real
 * broker, the real server jar, and a service started with the OpenTelemetry Java agent and exactly
 * the environment of the page's {@code java-agent-env} block (inherited {@code OTEL_*} variables
 * removed; the page's LogFlow address {@code http://127.0.0.1:8080} replaced by this server's). The
 * service is the demo {@code payments} service in place of the page's {@code checkout.jar}: no
 * tracing code, like any service the page describes.
 *
 * <p>Then, from the page: the request with the {@code traceparent} header of the {@code
 * traceparent} block (sent to the service's own route: only the page's headers are used); the JSON
 * lines of {@code json-log-lines} with the {@code POST} of {@code json-log-post} and the Kafka
 * produce of {@code json-log-kafka} (the page's broker address replaced by this broker's, each line
 * one record without key as the console producer sends it). The lines' timestamps are set to now —
 * the page's fixed time would be outside the trace retention or in the future — and nothing else of
 * them changes. Finally every request of {@code checks}, each polled until its answer shows the
 * agent's trace with the service's own log records and every JSON line under that trace id.
 *
 * <p>A block the test does not know, a curl option it does not send, a check it has no assertion
 * for: each fails the test, so the page can only say what the test runs.
 */
class AddingAServiceDocIT {
    private static final String DOC_LOGFLOW = "http://127.0.0.1:8080";
    /** How the page refers to the reader's ingest token: the shell variable it sets first. */
    private static final String DOC_TOKEN = "$LOGFLOW_INGEST_TOKEN";
    /** The page's variable for a user's access token (its reads need one). */
    private static final String DOC_ACCESS = "$LOGFLOW_TOKEN";

    private static final String DOC_KAFKA = "127.0.0.1:9092";
    private static final List<String> BLOCKS =
            List.of("java-agent-env", "json-log-lines", "json-log-post", "json-log-kafka", "traceparent", "checks");
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0[0-9a-f]");
    private static final Pattern READY = Pattern.compile("\"message\":\"ready on port (\\d+)\"");
    private static final Pattern TIME_VALUE = Pattern.compile("(\"(?:@timestamp|timestamp|time)\"\\s*:\\s*)\"[^\"]*\"");
    private static final Duration CHECKS_WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static TestedDoc doc;
    private static LocalKafka kafka;
    private static ScratchDatabase database;
    private static StateApiProcess server;
    private static Process service;
    private static final List<String> serviceOutput = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    /** The agent's service, as the page names it. */
    private static String serviceName;
    /** The trace id and caller span id of the page's traceparent. */
    private static String traceId;

    private static String callerSpanId;
    /** The page's JSON lines as parsed (the page's values, timestamps aside). */
    private static final List<JsonNode> jsonLines = new ArrayList<>();

    private static HttpResponse<String> postAnswer;

    @BeforeAll
    static void startLogFlowAndTheServiceAsThePageDoes() throws Exception {
        doc = TestedDoc.read(Path.of(System.getProperty("logflow.docsDir", "../docs"), "adding-a-service.md"));
        assertThat(doc.names())
                .as("the tested blocks of %s: each needs its part in this test", doc.source())
                .containsExactlyInAnyOrderElementsOf(BLOCKS);

        Path jar = TestServers.copyJar(dir);
        kafka = LocalKafka.start(dir.resolve("kafka"), 0);
        database = ScratchDatabase.create("logflow_doc_e2e", dir); // not ./logflow up's database
        Path logs = Path.of("target", "adding-a-service-it");
        server = TestServers.start(
                jar,
                kafka.bootstrapServers(),
                dir.resolve("state"),
                "logflow-doc-e2e-" + UUID.randomUUID(),
                logs.resolve("state-api.log"),
                Map.of("DATABASE_URL", database.url()));
        server.awaitHealthy(Duration.ofSeconds(120));
        TestServers.signIn(server.baseUri()); // the page's agent sends the ingest token an admin created
        service = startService(logs.resolve("service.log"));
        URI serviceUri = awaitServicePort(Duration.ofSeconds(90));

        // the request, with the page's traceparent: the agent continues that trace
        TestedDoc.Curl request = TestedDoc.Curl.parse(
                single(TestedDoc.commands(doc.block("traceparent").text()), "traceparent"));
        Matcher tp = TRACEPARENT.matcher(request.headers().getOrDefault("traceparent", ""));
        assertThat(tp.matches())
                .as("the traceparent block sends a W3C traceparent: %s", request.headers())
                .isTrue();
        traceId = tp.group(1);
        callerSpanId = tp.group(2);
        HttpRequest.Builder charge = HttpRequest.newBuilder(serviceUri.resolve("/payments"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("order=4711&amount=1999"));
        request.headers().forEach(charge::header);
        HttpResponse<String> charged = http.send(charge.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(charged.statusCode()).as(charged.body()).isEqualTo(200);

        // the JSON lines, as the page ships them: POST, then Kafka
        List<String> lines = withTimesNow(doc.block("json-log-lines").lines());
        for (String line : doc.block("json-log-lines").lines()) jsonLines.add(Api.JSON.readTree(line));
        TestedDoc.Curl post = TestedDoc.Curl.parse(
                single(TestedDoc.commands(doc.block("json-log-post").text()), "json-log-post"));
        assertThat(post.body()).as("json-log-post sends the lines' file").startsWith("@");
        postAnswer = send(post, String.join("\n", lines) + "\n");
        produceAsThePageDoes(post.body().substring(1), lines);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (service != null && service.isAlive()) {
            service.toHandle().destroy();
            if (!service.waitFor(15, TimeUnit.SECONDS)) service.destroyForcibly();
        }
        if (server != null) server.close();
        if (database != null) database.close();
        if (kafka != null) kafka.close();
    }

    @Test
    void postingThePagesLines_isAnsweredAsThePageSays_everyLineAccepted() {
        assertThat(postAnswer.statusCode()).as(postAnswer.body()).isEqualTo(202);
        JsonNode answer = Api.JSON.readTree(postAnswer.body());
        assertThat(answer.path("accepted").asInt()).as(postAnswer.body()).isEqualTo(jsonLines.size());
        assertThat(answer.path("rejected").asInt()).as(postAnswer.body()).isZero();
        assertThat(answer.path("errors").isArray() && answer.path("errors").isEmpty())
                .as(postAnswer.body())
                .isTrue();
        assertThat(doc.markdown()).as("the page shows the answer as it is").contains("`" + postAnswer.body() + "`");
    }

    @Test
    void thePagesLines_carryTheTraceIdOfItsRequest() {
        for (JsonNode line : jsonLines)
            assertThat(line.path("trace_id").asString()).as(line.toString()).isEqualTo(traceId);
    }

    /** One dynamic test per request of the page's {@code checks} block, in its order. */
    @TestFactory
    Stream<DynamicTest> everyCheckOfThePage_showsTheAgentsTraceAndThePagesLines() {
        long deadline = System.nanoTime() + CHECKS_WAIT.toNanos();
        List<String> commands = TestedDoc.commands(doc.block("checks").text());
        assertThat(commands).as("the checks block").isNotEmpty();
        return commands.stream()
                .map(command -> DynamicTest.dynamicTest(command, () -> {
                    TestedDoc.Curl check = TestedDoc.Curl.parse(command);
                    assertThat(check.method()).as(command).isEqualTo("GET");
                    poll(check, deadline, assertionFor(check));
                }));
    }

    // ---- what each check must show --------------------------------------------------------------

    private static Consumer<JsonNode> assertionFor(TestedDoc.Curl check) {
        String path = check.url().getPath();
        Map<String, String> query = check.query();
        if (path.equals("/api/v1/services")) return AddingAServiceDocIT::listsTheServiceAndTheLinesService;
        if (path.equals("/api/v1/traces")) {
            assertThat(query.get("service"))
                    .as("the trace search of the page is for the agent's service")
                    .isEqualTo(serviceName);
            return AddingAServiceDocIT::findsTheTrace;
        }
        if (path.startsWith("/api/v1/traces/")) {
            assertThat(path.substring("/api/v1/traces/".length()))
                    .as("the page looks up the trace its request started")
                    .isEqualTo(traceId);
            return AddingAServiceDocIT::isTheAgentsTraceWithItsLogsAndThePagesLines;
        }
        if (path.startsWith("/api/v1/logs/trace/")) {
            assertThat(path.substring("/api/v1/logs/trace/".length()))
                    .as("the page looks up the trace its request started")
                    .isEqualTo(traceId);
            return AddingAServiceDocIT::holdsEveryServicesLogsOfTheTrace;
        }
        if (path.equals("/api/v1/logs/recent")) {
            String s = query.get("service");
            Set<String> added = new LinkedHashSet<>(lineServices());
            added.add(serviceName);
            assertThat(s)
                    .as("the recent logs of the page are of a service it adds")
                    .isIn(added);
            return answer -> recentLogsOf(s, answer);
        }
        throw new AssertionError("the page checks " + check.url() + ", which this test has no assertion for: add one");
    }

    private static void listsTheServiceAndTheLinesService(JsonNode answer) {
        Set<String> names = new HashSet<>();
        answer.path("services").forEach(s -> names.add(s.path("name").asString()));
        assertThat(names).contains(serviceName).containsAll(lineServices());
    }

    private static void findsTheTrace(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.path("traces").forEach(t -> ids.add(t.path("traceId").asString()));
        assertThat(ids).contains(traceId);
    }

    private static void isTheAgentsTraceWithItsLogsAndThePagesLines(JsonNode trace) {
        // the agent continued the page's traceparent: its server span's parent is the caller's span
        Set<String> spanIds = new HashSet<>();
        JsonNode server = null;
        for (JsonNode s : trace.path("spans")) {
            spanIds.add(s.path("spanId").asString());
            if (s.path("service").asString().equals(serviceName)
                    && s.path("kind").asString().equals("SERVER")) server = s;
        }
        assertThat(server)
                .as("a SERVER span of %s in %s", serviceName, trace.path("spans"))
                .isNotNull();
        assertThat(server.path("parentSpanId").asString()).isEqualTo(callerSpanId);
        // the service's own log records, exported by the agent, each in one of the trace's spans
        List<JsonNode> own = new ArrayList<>();
        trace.path("logs").forEach(l -> {
            if (l.path("service").asString().equals(serviceName)) own.add(l);
        });
        assertThat(own).as("%s's logs of the trace", serviceName).isNotEmpty();
        for (JsonNode l : own) {
            assertThat(l.path("spanInTrace").asBoolean()).as(l.toString()).isTrue();
            assertThat(spanIds).as(l.toString()).contains(l.path("spanId").asString());
        }
        containsEveryLineTwice(trace.path("logs"), TRACE_VIEW);
        // the lines' span is the caller's, which LogFlow never got: as the page says, not in the trace
        trace.path("logs").forEach(l -> {
            if (lineServices().contains(l.path("service").asString()))
                assertThat(l.path("spanInTrace").asBoolean()).as(l.toString()).isFalse();
        });
    }

    private static void holdsEveryServicesLogsOfTheTrace(JsonNode answer) {
        List<String> services = new ArrayList<>();
        answer.path("services").forEach(s -> services.add(s.asString()));
        assertThat(services).contains(serviceName).containsAll(lineServices());
        for (JsonNode l : answer.path("logs"))
            assertThat(l.path(ECS.traceId()).asString()).as(l.toString()).isEqualTo(traceId);
        containsEveryLineTwice(answer.path("logs"), ECS);
    }

    private static void recentLogsOf(String service, JsonNode answer) {
        List<JsonNode> logs = new ArrayList<>();
        answer.path("logs").forEach(logs::add);
        assertThat(logs)
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l.path(ECS.service()).asString()).isEqualTo(service));
        if (lineServices().contains(service)) {
            containsEveryLineTwice(answer.path("logs"), ECS);
        } else {
            assertThat(logs)
                    .anySatisfy(
                            l -> assertThat(l.path(ECS.traceId()).asString()).isEqualTo(traceId));
        }
    }

    /** Where a log's fields are: the trace view's logs (camelCase), or the log endpoints' ECS JSON. */
    private record LogFields(String service, String traceId, String spanId) {}

    private static final LogFields TRACE_VIEW = new LogFields("service", "traceId", "spanId");
    private static final LogFields ECS = new LogFields("service.name", "trace.id", "span.id");

    /** Each of the page's lines, once from the POST and once from Kafka: same service, message, span id. */
    private static void containsEveryLineTwice(JsonNode logs, LogFields fields) {
        for (JsonNode line : jsonLines) {
            int found = 0;
            for (JsonNode l : logs) {
                if (l.path("message").asString().equals(line.path("message").asString())
                        && l.path(fields.service())
                                .asString()
                                .equals(line.path("service").asString())) {
                    assertThat(l.path(fields.spanId()).asString())
                            .as(l.toString())
                            .isEqualTo(line.path("span_id").asString());
                    found++;
                }
            }
            assertThat(found)
                    .as("copies of %s (POST and Kafka) in %s", line, logs)
                    .isEqualTo(2);
        }
    }

    private static Set<String> lineServices() {
        Set<String> s = new LinkedHashSet<>();
        for (JsonNode line : jsonLines) s.add(line.path("service").asString());
        return s;
    }

    // ---- the service, started as the page starts it -----------------------------------------------

    private static Process startService(Path log) throws IOException {
        TestedDoc.Shell shell = TestedDoc.Shell.of(doc.block("java-agent-env").text());
        assertThat(shell.commands())
                .as("java-agent-env starts one JVM with the agent")
                .singleElement()
                .asString()
                .matches("java -javaagent:\\S+\\.jar -jar \\S+\\.jar");
        serviceName = shell.exports().get("OTEL_SERVICE_NAME");
        assertThat(serviceName).as("java-agent-env names the service").isNotBlank();
        assertThat(shell.exports().get("OTEL_EXPORTER_OTLP_ENDPOINT"))
                .as("java-agent-env points the agent at LogFlow")
                .isEqualTo(DOC_LOGFLOW);
        assertThat(shell.exports().get("OTEL_EXPORTER_OTLP_HEADERS"))
                .as("java-agent-env sends the ingest token")
                .isEqualTo("Authorization=Bearer%20" + DOC_TOKEN);

        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                OtelAgent.javaagentOption(OtelAgent.jar()),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx128m",
                "-cp",
                DemoApps.classpath(),
                "io.logflow.demo.DemoService",
                "payments");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_"));
        shell.exports()
                .forEach((k, v) -> pb.environment()
                        .put(
                                k,
                                v.replace(DOC_LOGFLOW, server.baseUri().toString())
                                        .replace(DOC_TOKEN, BenchAccess.ingestToken())));
        pb.environment().putAll(Map.of("DEMO_PORT", "0", "DEMO_FAILURE_RATIO", "0", "DEMO_SLOW_RATIO", "0"));
        Files.createDirectories(log.getParent());
        Process p = pb.start();
        CompletableFuture.runAsync(() -> {
            try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    serviceOutput.add(line);
                    out.write(line);
                    out.write('\n');
                    out.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return p;
    }

    private static URI awaitServicePort(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : serviceOutput) {
                Matcher m = READY.matcher(line);
                if (m.find()) return URI.create("http://127.0.0.1:" + m.group(1));
            }
            if (!service.isAlive()) break;
            Thread.sleep(100);
        }
        throw new AssertionError("the service did not log 'ready' (alive: " + service.isAlive() + "); its output:\n"
                + String.join("\n", serviceOutput));
    }

    // ---- the page's requests ----------------------------------------------------------------------

    /** Sends a curl of the page to this server: its method, headers and body, its path and query. */
    private static HttpResponse<String> send(TestedDoc.Curl curl, String fileBody)
            throws IOException, InterruptedException {
        String url = curl.url().toString();
        assertThat(url).as("the page's LogFlow address").startsWith(DOC_LOGFLOW + "/");
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create(server.baseUri() + url.substring(DOC_LOGFLOW.length())))
                .timeout(Duration.ofSeconds(30));
        // every request of the page carries the credential a user has: the ingest token to send, an access token to
        // read (the page's variables, put in here as the reader's shell would)
        assertThat(curl.headers())
                .as("%s: the page's request names its credential", url)
                .containsKey("Authorization");
        String access = BenchAccess.read().substring("Bearer ".length());
        curl.headers()
                .forEach((k, v) -> b.header(
                        k, v.replace(DOC_TOKEN, BenchAccess.ingestToken()).replace(DOC_ACCESS, access)));
        String body = curl.body() == null ? null : curl.body().startsWith("@") ? fileBody : curl.body();
        b.method(
                curl.method(),
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void poll(TestedDoc.Curl check, long deadline, Consumer<JsonNode> assertion) throws Exception {
        while (true) {
            HttpResponse<String> r = send(check, null);
            AssertionError failed;
            try {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertion.accept(Api.JSON.readTree(r.body()));
                return;
            } catch (AssertionError e) {
                failed = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        check.url() + " did not show it within " + CHECKS_WAIT.toSeconds() + " s of the first check: "
                                + failed.getMessage() + "\nlast answer: " + r.statusCode() + " "
                                + Api.abbreviate(r.body()),
                        failed);
            }
            Thread.sleep(250);
        }
    }

    /** {@code kafka-console-producer.sh --bootstrap-server B --topic T < FILE}: one record per line, no key. */
    private static void produceAsThePageDoes(String file, List<String> lines) throws Exception {
        List<String> words = TestedDoc.words(
                single(TestedDoc.commands(doc.block("json-log-kafka").text()), "json-log-kafka"));
        assertThat(words).as("json-log-kafka").hasSize(7);
        assertThat(words.get(0)).endsWith("kafka-console-producer.sh");
        assertThat(words.subList(1, 7))
                .as("json-log-kafka's arguments")
                .containsExactly("--bootstrap-server", DOC_KAFKA, "--topic", words.get(4), "<", file);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000"); // a topic the server does not have fails soon
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String line : lines)
                producer.send(new ProducerRecord<>(words.get(4), null, line)).get(30, TimeUnit.SECONDS);
        }
    }

    /** The page's lines with their time field set to now (in order, a millisecond apart), byte for byte otherwise. */
    private static List<String> withTimesNow(List<String> lines) {
        Instant now = Instant.now();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = TIME_VALUE.matcher(lines.get(i));
            assertThat(m.find()).as("a time field in %s", lines.get(i)).isTrue();
            out.add(m.replaceFirst(Matcher.quoteReplacement(m.group(1) + "\"" + now.plusMillis(i) + "\"")));
        }
        return out;
    }

    private static String single(List<String> commands, String block) {
        assertThat(commands).as("the %s block: one command", block).hasSize(1);
        return commands.get(0);
    }
}
