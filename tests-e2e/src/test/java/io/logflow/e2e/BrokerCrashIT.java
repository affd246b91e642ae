package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.infra.LocalKafka;
import io.logflow.infra.ScratchDatabase;
import io.logflow.infra.StateApiProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fault suite: the broker is killed with SIGKILL while a client is posting logs to
 * {@code POST /api/v1/logs}, and started again on the same data directory and port. While it is
 * gone the ingest API answers 503 with {@code Retry-After} (never 500, never hanging past the
 * client's timeout); once it is back the API accepts again, and every service's log total and error
 * count equals what the API accepted (202): nothing lost, nothing counted twice.
 */
class BrokerCrashIT {
    static final int SERVICES = 5;
    static final int BATCH = 200;
    static final Duration PACE = Duration.ofMillis(50); // 4,000 logs/s
    /** Logs accepted before the kill. */
    static final int BEFORE_KILL = 12_000;

    /**
     * How long the broker stays dead before it is started again (its restart takes about 14 s more). Requests in
     * flight at the kill must see it back within the server's send timeout (30 s) to be answered 202.
     */
    static final Duration OUTAGE = Duration.ofSeconds(8);
    /** Longer than the server's send timeout (LOGFLOW_INGEST_TIMEOUT, 30 s): a request must be answered within it. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);

    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    static int kafkaPort;
    static LocalKafka kafka;
    static ScratchDatabase database;
    static StateApiProcess server;
    static final String APP = "logflow-broker-crash-" + UUID.randomUUID();
    static final String PREFIX = "brokercrash-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @BeforeAll
    static void startEverything() throws Exception {
        Path jar = TestServers.copyJar(dir);
        kafkaPort = StateApiProcess.freePort();
        kafka = LocalKafka.start(dir.resolve("kafka"), kafkaPort);
        database = ScratchDatabase.create("logflow_e2e", dir);
        server = TestServers.start(
                jar,
                kafka.bootstrapServers(),
                dir.resolve("state"),
                APP,
                Path.of("target", "broker-crash-state-api.log"),
                Map.of("DATABASE_URL", database.url()));
        server.awaitHealthy(Duration.ofSeconds(120));
        TestServers.signIn(server.baseUri());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (database != null) database.close();
        if (kafka != null) kafka.close();
    }

    /** One NDJSON batch and what it holds per service: {total, errors}. */
    record Batch(int number, String body, Map<String, long[]> counts) {}

    /**
     * A shipper: posts a batch every {@link #PACE} whether or not earlier ones were answered (a request waiting for
     * Kafka does not hold up the next), pauses for {@code Retry-After} after a 503 and keeps that batch to send
     * again. Records every answer, and the logs of each 202 per service.
     */
    static final class Client implements Runnable {
        final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
        final Map<String, long[]> accepted = new TreeMap<>();
        final AtomicLong acceptedLogs = new AtomicLong();
        final Deque<Batch> refused = new ArrayDeque<>(); // 503: nothing accepted, to be sent again
        final Map<String, AtomicInteger> whileDown = new ConcurrentHashMap<>();
        final AtomicInteger refusedWhileDown = new AtomicInteger(); // 503s answered before the broker was back
        final List<String> unexpected = new ArrayList<>();
        final List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        final AtomicLong slowestMillis = new AtomicLong();
        volatile long killedAt; // nanoTime, 0 = broker not killed yet
        volatile long backAt; // nanoTime the restarted broker was ready, 0 = not yet
        volatile long acceptedAgainAt; // nanoTime of the first 202 to a request sent after the restart
        volatile long pauseUntil;
        volatile boolean stop;

        @Override
        public void run() {
            long next = System.nanoTime();
            for (int number = 0; !stop; number++) {
                sleep(Math.max(0, Math.max(next, pauseUntil) - System.nanoTime()) / 1_000_000);
                next = System.nanoTime() + PACE.toNanos();
                Batch b = batch(number);
                long sentAt = System.nanoTime();
                CompletableFuture<Void> f = postAsync(b).thenAccept(a -> answered(b, a, sentAt));
                synchronized (this) {
                    inFlight.removeIf(CompletableFuture::isDone);
                    inFlight.add(f);
                }
            }
        }

        void answered(Batch b, Answer a, long sentAt) {
            long answeredAt = System.nanoTime();
            slowestMillis.accumulateAndGet((answeredAt - sentAt) / 1_000_000, Math::max);
            long killed = killedAt, back = backAt;
            boolean down = killed != 0 && sentAt >= killed && (back == 0 || sentAt < back);
            boolean straddles = killed != 0 && sentAt < killed && answeredAt >= killed;
            if (down || straddles)
                whileDown.computeIfAbsent(a.label(), k -> new AtomicInteger()).incrementAndGet();
            if (a.status == 202) {
                count(b);
                if (back != 0 && sentAt >= back && acceptedAgainAt == 0) acceptedAgainAt = answeredAt;
            } else if (a.status == 503 && a.retryAfter != null) {
                if (killed != 0 && backAt == 0) refusedWhileDown.incrementAndGet();
                pauseUntil = Math.max(
                        pauseUntil,
                        answeredAt
                                + Duration.ofSeconds(Long.parseLong(a.retryAfter))
                                        .toNanos());
                synchronized (this) {
                    refused.add(b);
                }
            } else {
                synchronized (this) {
                    unexpected.add("batch " + b.number + ": " + a.label() + " " + Api.abbreviate(a.body));
                }
            }
        }

        /** Waits for every request still in flight. */
        void awaitAnswers() {
            List<CompletableFuture<Void>> all;
            synchronized (this) {
                all = new ArrayList<>(inFlight);
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        }

        /** Sends the batches answered 503 again, one at a time, until each is accepted. */
        void retryRefused(long deadlineNanos) {
            while (!refused.isEmpty() && System.nanoTime() < deadlineNanos) {
                Batch b = refused.peek();
                Answer a = postAsync(b).join();
                if (a.status == 202) {
                    count(refused.poll());
                } else {
                    if (a.status != 503) unexpected.add("retry of batch " + b.number + ": " + a.label());
                    sleep(500);
                }
            }
            assertThat(refused).as("batches still refused").isEmpty();
        }

        synchronized void count(Batch b) {
            for (var e : b.counts.entrySet()) {
                long[] c = accepted.computeIfAbsent(e.getKey(), s -> new long[2]);
                c[0] += e.getValue()[0];
                c[1] += e.getValue()[1];
                acceptedLogs.addAndGet(e.getValue()[0]);
            }
        }

        CompletableFuture<Answer> postAsync(Batch b) {
            return http.sendAsync(
                            HttpRequest.newBuilder(server.baseUri().resolve("/api/v1/logs"))
                                    .headers(BenchAccess.ingestHeaders())
                                    .timeout(REQUEST_TIMEOUT)
                                    .header("Content-Type", "application/x-ndjson")
                                    .POST(HttpRequest.BodyPublishers.ofString(b.body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> new Answer(
                            r.statusCode(),
                            r.headers().firstValue("Retry-After").orElse(null),
                            r.body()))
                    .exceptionally(e -> {
                        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        return cause instanceof HttpTimeoutException
                                ? new Answer(0, null, "timeout after " + REQUEST_TIMEOUT.toSeconds() + " s")
                                : new Answer(0, null, cause.toString());
                    });
        }
    }

    record Answer(int status, String retryAfter, String body) {
        String label() {
            if (status == 0) return body.startsWith("timeout") ? "timeout" : "no answer";
            return status == 503 ? (retryAfter == null ? "503 without Retry-After" : "503") : String.valueOf(status);
        }
    }

    static Batch batch(int number) {
        long now = System.currentTimeMillis();
        StringBuilder body = new StringBuilder();
        Map<String, long[]> counts = new TreeMap<>();
        for (int i = 0; i < BATCH; i++) {
            int n = number * BATCH + i;
            String service = PREFIX + (n % SERVICES);
            boolean error = n % 7 == 0;
            body.append("{\"@timestamp\":")
                    .append(now)
                    .append(",\"service\":\"")
                    .append(service)
                    .append("\",\"level\":\"")
                    .append(error ? "ERROR" : "INFO")
                    .append("\",\"message\":\"request ")
                    .append(n)
                    .append("\"}\n");
            long[] c = counts.computeIfAbsent(service, s -> new long[2]);
            c[0]++;
            if (error) c[1]++;
        }
        return new Batch(number, body.toString(), counts);
    }

    @Test
    void brokerKilledMidIngest_answers503WithRetryAfter_thenCountsEveryAcceptedLogExactlyOnce() throws Exception {
        Client client = new Client();
        Thread sender = new Thread(client, "broker-crash-client");
        sender.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (client.acceptedLogs.get() < BEFORE_KILL && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(client.acceptedLogs.get())
                    .as("logs accepted before the kill")
                    .isGreaterThanOrEqualTo(BEFORE_KILL);

            long acceptedBeforeKill = client.acceptedLogs.get();
            client.killedAt = System.nanoTime();
            ProcessHandle.of(kafka.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL, mid-ingest
            ProcessHandle.of(kafka.pid()).ifPresent(p -> p.onExit().join());
            kafka.close(); // the process is gone: only drops its shutdown hook
            System.out.printf("broker crash: killed -9 with %,d logs accepted%n", acceptedBeforeKill);
            Thread.sleep(OUTAGE.toMillis());

            kafka = LocalKafka.start(dir.resolve("kafka"), kafkaPort);
            client.backAt = System.nanoTime();
            deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (client.acceptedAgainAt == 0 && System.nanoTime() < deadline) Thread.sleep(50);
        } finally {
            client.stop = true;
            sender.join(5_000);
            client.awaitAnswers(); // each within REQUEST_TIMEOUT
        }
        assertThat(client.acceptedAgainAt).as("a 202 after the broker is back").isNotZero();
        int refused = client.refused.size();
        client.retryRefused(System.nanoTime() + Duration.ofSeconds(60).toNanos());

        long acceptedAgain = client.acceptedAgainAt;
        long expected = client.acceptedLogs.get();
        Api api = new Api(server.baseUri());
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long counted;
        while ((counted = loggedTotal(api)) != expected && System.nanoTime() < deadline) Thread.sleep(250);
        long exactAt = System.nanoTime();
        Thread.sleep(1_000); // one more commit interval: a late duplicate would show now

        System.out.printf(
                "broker crash: %,d logs accepted (%,d batches answered 503 and sent again); broker away %.1f s;"
                        + " answers to requests sent while it was away (or in flight at the kill): %s, %d of the 503s"
                        + " before it was back; slowest answer %.1f s; ingest accepted again %.1f s after the kill"
                        + " (%.1f s after the restart); counts exact %.1f s after the kill (%,d of %,d counted)%n",
                expected,
                refused,
                (client.backAt - client.killedAt) / 1e9,
                new TreeMap<>(client.whileDown),
                client.refusedWhileDown.get(),
                client.slowestMillis.get() / 1e3,
                (acceptedAgain - client.killedAt) / 1e9,
                (acceptedAgain - client.backAt) / 1e9,
                (exactAt - client.killedAt) / 1e9,
                counted,
                expected);

        assertThat(client.unexpected)
                .as("answers other than 202 or 503 with Retry-After")
                .isEmpty();
        assertThat(client.whileDown.keySet())
                .as("answers while the broker was down")
                .isSubsetOf("202", "503");
        assertThat(client.refusedWhileDown)
                .as("503 + Retry-After answered while the broker was gone")
                .hasPositiveValue();
        for (var e : client.accepted.entrySet()) {
            JsonNode s = service(api, e.getKey());
            assertThat(s.get("total").asLong()).as("logs of " + e.getKey()).isEqualTo(e.getValue()[0]);
            assertThat(s.get("errors").asLong()).as("errors of " + e.getKey()).isEqualTo(e.getValue()[1]);
        }
        assertThat(loggedTotal(api)).as("logs of every service").isEqualTo(expected);
    }

    static long loggedTotal(Api api) {
        Api.Answer a = api.get("/api/v1/services");
        if (a.status() != 200) return -1;
        long total = 0;
        for (JsonNode s : JSON.readTree(a.body()).get("services")) {
            if (s.get("name").asString().startsWith(PREFIX))
                total += s.get("total").asLong();
        }
        return total;
    }

    static JsonNode service(Api api, String name) {
        for (JsonNode s : JSON.readTree(api.get("/api/v1/services").body()).get("services")) {
            if (s.get("name").asString().equals(name)) return s;
        }
        throw new AssertionError("service " + name + " missing at " + Instant.now());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
