package io.logflow.connect.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logflow.infra.LocalConnect;
import io.logflow.infra.LocalElasticsearch;
import io.logflow.infra.LocalKafka;
import io.logflow.infra.SearchSink;
import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.codec.EcsJson;
import io.logflow.model.schema.Topic;
import io.logflow.model.schema.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink against real parts: a KRaft broker, Elasticsearch 9 and a Kafka Connect worker in distributed mode, each a
 * child process ({@code infra}), the connector loaded from this build's plugin directory and registered with the
 * configuration LogFlow uses ({@link SearchSink#config}). Logs are written as the topology writes them: ECS JSON keyed
 * by service name, in transactions. Along the way one transaction is aborted, three records cannot be indexed, and
 * Elasticsearch is stopped for a minute while half of the logs are still to come.
 *
 * <p>Expected: every committed log indexed exactly once under its {@code event.id} in the daily index of its day,
 * nothing of the aborted transaction, the three bad records in {@code logflow.dlq} with Connect's error headers, the
 * sink's offsets committed up to the last record of every partition, and the connector and both tasks RUNNING at
 * every status poll (once a second, throughout). The buffers are smaller than LogFlow's so that the outage fills them:
 * the tasks pause their partitions and must resume them by themselves.
 */
class ElasticsearchSinkIT {
    /** Committed logs. */
    static final int N = 20_000;
    /** Logs of the aborted transaction. */
    static final int M = 1_000;

    static final int TRANSACTION_SIZE = 500;
    static final int PARTITIONS = 6;
    static final int TASKS = 2;
    /** Documents a task holds before it pauses its partitions ({@code buffer.max.records}). */
    static final int BUFFER = 2_000;

    static final Duration OUTAGE = Duration.ofSeconds(60);
    static final Duration CATCH_UP = Duration.ofSeconds(180);
    /**
     * Services, the record keys (as the topology keys logflow.logs): fixed names that the default partitioner (murmur2)
     * spreads two to each of the six partitions.
     */
    static final List<String> SERVICES = List.of(
            "orders",
            "auth",
            "payments",
            "cart",
            "checkout",
            "accounting",
            "currency",
            "catalog",
            "search",
            "shipping",
            "gateway",
            "email");

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String LOGS = Topics.LOGS_NORMALIZED.name();
    static final String DLQ = Topics.DLQ.name();
    /** The daily indices and the alias of logs, as the configuration LogFlow uses leaves them. */
    static final IndexNames LOG_INDICES = new IndexNames(SinkConfig.LOGS_INDEX_PREFIX_DEFAULT);

    static final String ALIAS = LOG_INDICES.alias();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @TempDir
    Path dir;

    LocalKafka kafka;
    LocalElasticsearch elasticsearch;
    LocalConnect connect;
    ScheduledExecutorService poller;

    /** The daily index each committed log must be in, by event id. */
    final Map<String, String> expected = new HashMap<>();

    final Set<String> aborted = new HashSet<>();
    final Set<Integer> partitionsWritten = ConcurrentHashMap.newKeySet();
    /** Per partition of logflow.logs, the offset after the last committed record: what the sink must commit. */
    final Map<Integer, Long> ends = new ConcurrentHashMap<>();

    @AfterEach
    void stop() throws IOException {
        if (poller != null) poller.shutdownNow();
        for (AutoCloseable c : new AutoCloseable[] {connect, elasticsearch, kafka}) {
            try {
                if (c != null) c.close();
            } catch (Exception e) {
                System.out.println("[sink-it] stopping: " + e);
            }
        }
        // the worker's and the node's logs outlive the temporary directory, for a look after a red run
        Path keep = Files.createDirectories(Path.of("target", "elasticsearch-sink-it"));
        for (Path log : List.of(
                dir.resolve("connect").resolve("logs").resolve("connect.log"),
                dir.resolve("elasticsearch").resolve("logs").resolve("elasticsearch.log"))) {
            if (Files.exists(log))
                Files.copy(log, keep.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void indexesEveryCommittedLogExactlyOnce_throughAnElasticsearchOutage_deadLetteringBadRecords() throws Exception {
        long t0 = System.nanoTime();
        Path esDir = dir.resolve("elasticsearch");
        // Elasticsearch takes longest to start: meanwhile the broker, the topics and the worker
        CompletableFuture<LocalElasticsearch> esStarting =
                CompletableFuture.supplyAsync(() -> LocalElasticsearch.start(esDir, 0));
        try {
            kafka = LocalKafka.start(dir.resolve("kafka"), 0);
            createTopics();
            connect = LocalConnect.start(dir.resolve("connect"), kafka.bootstrapServers(), 0, List.of(pluginPath()));
        } finally {
            elasticsearch = esStarting.join();
        }
        int esPort = elasticsearch.httpPort();
        Map<String, String> config = SearchSink.config(elasticsearch.url(), TASKS, 0, 7);
        // LogFlow's configuration with buffers the outage fills (the default, 20,000 a task, holds everything here):
        // each task pauses its partitions, and must resume them by itself once Elasticsearch is back
        config.put("buffer.max.records", Integer.toString(BUFFER));
        SearchSink.register(connect.url(), config, Duration.ofSeconds(90));
        SearchSink.awaitRunning(connect.url(), TASKS, Duration.ofSeconds(90));
        StatusLog status = new StatusLog(connect.url(), running(TASKS));
        poller = Executors.newSingleThreadScheduledExecutor();
        poller.scheduleAtFixedRate(status::poll, 0, 1, TimeUnit.SECONDS);
        System.out.printf(
                "[sink-it] Kafka, Elasticsearch (port %d) and Connect with the sink RUNNING in %.1f s%n",
                esPort, (System.nanoTime() - t0) / 1e9);

        // the first half, with an aborted transaction open across several committed ones, and the bad records
        long produceStart = System.nanoTime();
        Instant base = Instant.now().minus(Duration.ofHours(30));
        List<byte[]> bad = badRecords();
        long stopped;
        try (KafkaProducer<String, byte[]> producer = producer("sink-it-" + RUN);
                KafkaProducer<String, byte[]> abortingProducer = producer("sink-it-aborted-" + RUN)) {
            int next = 0;
            for (int tx = 0; next < N / 2; tx++) {
                if (tx == 3) {
                    abortingProducer.beginTransaction();
                    for (int j = 0; j < M; j++) {
                        String id = "sink-it-" + RUN + "-aborted-" + j;
                        aborted.add(id);
                        abortingProducer.send(record(id, j, base));
                    }
                    abortingProducer.flush(); // in the log, between committed transactions, until the abort
                }
                if (tx == 6) abortingProducer.abortTransaction();
                List<ProducerRecord<String, byte[]>> extra = new ArrayList<>();
                if (tx == 4) {
                    for (int b = 0; b < bad.size(); b++)
                        extra.add(new ProducerRecord<>(LOGS, SERVICES.get(b), bad.get(b)));
                }
                next = commit(producer, next, Math.min(N / 2, next + TRANSACTION_SIZE), base, extra);
            }
            // ingestion is under way: some of the first half is searchable
            awaitCount(c -> c > 0, Duration.ofSeconds(60));
            long indexedBeforeOutage = count(false);

            long stopping = System.nanoTime();
            elasticsearch.close();
            stopped = System.nanoTime();
            System.out.printf(
                    "[sink-it] first half (%d logs, %d aborted, %d bad) produced; Elasticsearch stopped with %d"
                            + " indexed (stop took %.1f s)%n",
                    N / 2, M, bad.size(), indexedBeforeOutage, (stopped - stopping) / 1e9);

            // the second half while Elasticsearch is down
            while (next < N) next = commit(producer, next, Math.min(N, next + TRANSACTION_SIZE), base, List.of());
        }
        double secondHalfSeconds = (System.nanoTime() - stopped) / 1e9;
        sleepUntil(stopped + OUTAGE.toNanos());

        long restarting = System.nanoTime();
        elasticsearch = LocalElasticsearch.start(esDir, esPort);
        long back = System.nanoTime();
        Instant backAt = Instant.now();
        long indexedAtRestart = count(true);
        System.out.printf(
                "[sink-it] second half produced in %.1f s; Elasticsearch down %.1f s, restarted on port %d"
                        + " in %.1f s%n",
                secondHalfSeconds, (restarting - stopped) / 1e9, esPort, (back - restarting) / 1e9);

        long indexed = awaitCount(c -> c >= N, CATCH_UP);
        long allIndexed = System.nanoTime();
        assertThat(indexed).as("documents in alias " + ALIAS).isEqualTo(N);

        List<ConsumerRecord<byte[], byte[]>> deadLetters = deadLetters(bad.size(), Duration.ofSeconds(60));
        Map<Integer, Long> committed = awaitCommitted(Duration.ofSeconds(30));
        Map<String, List<String>> seen = allDocuments();
        assertThat(count(true))
                .as("documents in alias " + ALIAS + ", at the end")
                .isEqualTo(N);
        // the index template's mapping at work: log.level with the built-in lowercase normalizer (one log in five
        // is ERROR)
        assertThat(countWhere("log.level", "error"))
                .as("logs found by log.level:error")
                .isEqualTo(N / 5);
        poller.shutdown();
        poller.awaitTermination(15, TimeUnit.SECONDS);

        assertThat(partitionsWritten).as("partitions of " + LOGS + " written").hasSize(PARTITIONS);
        // every committed log exactly once, under its event id, in the daily index of its day; nothing aborted
        List<String> duplicated = seen.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .map(Map.Entry::getKey)
                .limit(10)
                .toList();
        assertThat(duplicated).as("event ids indexed more than once").isEmpty();
        Set<String> missing = new HashSet<>(expected.keySet());
        missing.removeAll(seen.keySet());
        assertThat(missing).as("event ids not indexed").isEmpty();
        Set<String> abortedIndexed = new HashSet<>(aborted);
        abortedIndexed.retainAll(seen.keySet());
        assertThat(abortedIndexed)
                .as("event ids of the aborted transaction indexed")
                .isEmpty();
        assertThat(seen.keySet()).as("indexed event ids").isEqualTo(expected.keySet());
        List<String> misplaced = seen.entrySet().stream()
                .filter(e -> !e.getValue().equals(List.of(expected.get(e.getKey()))))
                .map(e -> e.getKey() + " in " + e.getValue() + ", not " + expected.get(e.getKey()))
                .limit(10)
                .toList();
        assertThat(misplaced)
                .as("documents outside the daily index of their @timestamp")
                .isEmpty();

        // the sink's consumer group committed everything, up to the last record of each partition (the offset
        // commits run every offset.flush.interval.ms): a restart would deliver nothing again
        assertThat(committed)
                .as("offsets committed by the sink, by partition of " + LOGS)
                .isEqualTo(ends);

        // the bad records: in the dead-letter topic with Connect's headers, each with its reason
        Map<String, String> reasons = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
            assertThat(header(r, "__connect.errors.topic")).isEqualTo(LOGS);
            assertThat(header(r, "__connect.errors.partition")).isNotNull();
            assertThat(header(r, "__connect.errors.offset")).isNotNull();
            assertThat(header(r, "__connect.errors.exception.class.name"))
                    .isEqualTo("org.apache.kafka.connect.errors.DataException");
            reasons.put(new String(r.value(), StandardCharsets.UTF_8), header(r, "__connect.errors.exception.message"));
        }
        assertThat(reasons.keySet())
                .as("values in " + DLQ)
                .containsExactlyInAnyOrderElementsOf(bad.stream()
                        .map(b -> new String(b, StandardCharsets.UTF_8))
                        .toList());
        assertThat(reasons.get(new String(bad.get(0), StandardCharsets.UTF_8))).startsWith("not valid JSON");
        assertThat(reasons.get(new String(bad.get(1), StandardCharsets.UTF_8))).isEqualTo("unreadable @timestamp");
        assertThat(reasons.get(new String(bad.get(2), StandardCharsets.UTF_8)))
                .startsWith("Elasticsearch rejected the document: 400 ")
                .containsPattern("(document|mapper)_parsing_exception");

        // figures
        System.out.printf(
                "[sink-it] N=%d committed logs (+%d aborted, %d bad) in %d transactions over %d partitions%n",
                N, M, bad.size(), (N + TRANSACTION_SIZE - 1) / TRANSACTION_SIZE, partitionsWritten.size());
        System.out.printf(
                "[sink-it] Elasticsearch restart (%d indexed) → all %d indexed: %.1f s (%.0f docs/s); first record"
                        + " produced → all indexed: %.1f s (%.0f docs/s overall, a %d s outage included)%n",
                indexedAtRestart,
                N,
                (allIndexed - back) / 1e9,
                (N - indexedAtRestart) / ((allIndexed - back) / 1e9),
                (allIndexed - produceStart) / 1e9,
                N / ((allIndexed - produceStart) / 1e9),
                OUTAGE.toSeconds());
        System.out.printf(
                "[sink-it] connector status: %d polls, states seen %s, not RUNNING %s, poll errors %s%n",
                status.polls.get(), status.states, status.notRunning, status.errors);
        reasons.forEach((value, reason) -> System.out.printf("[sink-it] DLQ: %s ← %s%n", reason, value));
        System.out.printf("[sink-it] Elasticsearch back at %s; the worker's log says:%n", backAt);
        flowControl().forEach(line -> System.out.println("[sink-it]   " + line));
        System.out.printf("[sink-it] whole test %.1f s%n", (System.nanoTime() - t0) / 1e9);

        assertThat(status.notRunning)
                .as("connector status other than " + running(TASKS))
                .isEmpty();
        assertThat(status.polls.get()).as("status polls, one a second").isGreaterThanOrEqualTo((int)
                OUTAGE.toSeconds());
    }

    // --- producing

    void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(
                            newTopic(Topics.LOGS_NORMALIZED, PARTITIONS),
                            newTopic(Topics.SPANS_NORMALIZED, PARTITIONS),
                            newTopic(Topics.DLQ, 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    static NewTopic newTopic(Topic<?, ?> topic, int partitions) {
        return new NewTopic(topic.name(), partitions, (short) 1).configs(topic.configs());
    }

    KafkaProducer<String, byte[]> producer(String transactionalId) {
        Map<String, Object> p = Map.of(
                "bootstrap.servers",
                kafka.bootstrapServers(),
                "transactional.id",
                transactionalId,
                "enable.idempotence",
                true,
                "acks",
                "all",
                "linger.ms",
                5);
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    /** Logs {@code from} to {@code to} (exclusive) and {@code extra}, in one committed transaction. */
    int commit(
            KafkaProducer<String, byte[]> producer,
            int from,
            int to,
            Instant base,
            List<ProducerRecord<String, byte[]>> extra) {
        producer.beginTransaction();
        for (int i = from; i < to; i++) {
            String id = "sink-it-" + RUN + "-" + i;
            ProducerRecord<String, byte[]> r = record(id, i, base);
            expected.put(id, LOG_INDICES.daily(r.timestamp()));
            producer.send(r, this::written);
        }
        for (ProducerRecord<String, byte[]> r : extra) producer.send(r, this::written);
        producer.commitTransaction();
        return to;
    }

    void written(RecordMetadata m, Exception e) {
        if (m == null) return;
        partitionsWritten.add(m.partition());
        ends.merge(m.partition(), m.offset() + 1, Math::max);
    }

    /** Log {@code i}: 30 hours of logs (two or three UTC days), one service of twelve, keyed by it. */
    static ProducerRecord<String, byte[]> record(String eventId, int i, Instant base) {
        long timestamp = base.toEpochMilli() + i * (30L * 3600 * 1000 / N);
        String service = SERVICES.get(i % SERVICES.size());
        LogRecord log = new LogRecord(
                eventId,
                timestamp,
                service,
                Level.values()[i % 5],
                "request " + i + " served by " + service + " in " + (i % 97) + " ms",
                null,
                null,
                "req-" + i,
                null,
                Map.of("seq", Integer.toString(i), "region", i % 2 == 0 ? "eu" : "us"));
        return new ProducerRecord<>(LOGS, null, timestamp, service, EcsJson.write(log));
    }

    /**
     * Not JSON; a log whose {@code @timestamp} is no date (the sink refuses it itself); a log Elasticsearch refuses
     * with 400 ({@code message} is mapped as text, and an object is none).
     */
    static List<byte[]> badRecords() {
        String now = Instant.now().toString();
        return Stream.of(
                        "this is not JSON {",
                        "{\"@timestamp\":\"not a date\",\"event.id\":\"sink-it-" + RUN + "-bad-date\","
                                + "\"service.name\":\"checkout\",\"log.level\":\"INFO\",\"message\":\"m\"}",
                        "{\"@timestamp\":\"" + now + "\",\"event.id\":\"sink-it-" + RUN + "-rejected\","
                                + "\"service.name\":\"checkout\",\"log.level\":\"INFO\","
                                + "\"message\":{\"an\":\"object\"}}")
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .toList();
    }

    // --- reading back

    /** The records of the dead-letter topic, once there are {@code expected} (or the time is up). */
    List<ConsumerRecord<byte[], byte[]>> deadLetters(int expected, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        kafka.bootstrapServers(),
                        "group.id",
                        "sink-it-dlq-" + RUN,
                        "auto.offset.reset",
                        "earliest",
                        "enable.auto.commit",
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(DLQ));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add); // and nothing more
        }
        return records;
    }

    /** The sink's committed offsets on logflow.logs, once they are {@link #ends} (or the time is up). */
    Map<Integer, Long> awaitCommitted(Duration timeout) throws Exception {
        String group = "connect-" + SearchSink.NAME;
        Map<Integer, Long> committed = new TreeMap<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            do {
                committed.clear();
                admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS)
                        .forEach((tp, o) -> {
                            if (tp.topic().equals(LOGS) && o != null) committed.put(tp.partition(), o.offset());
                        });
                if (committed.equals(ends)) break;
                Thread.sleep(500);
            } while (System.nanoTime() < deadline);
        }
        return committed;
    }

    /** The lines of the worker's log where a task paused or resumed, or found Elasticsearch taking documents. */
    List<String> flowControl() throws IOException {
        Path log = connect.dir().resolve("logs").resolve("connect.log");
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("pausing ") || l.contains("resuming ") || l.contains("takes documents"))
                    .map(l -> l.length() > 160 ? l.substring(0, 160) + " ..." : l)
                    .limit(40)
                    .toList();
        }
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Polls {@code _count} of the alias (refreshed) until it passes {@code done}; the last count. */
    long awaitCount(LongPredicate done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long c = -1;
        while (System.nanoTime() < deadline) {
            try {
                c = count(true);
                if (done.test(c)) return c;
            } catch (IOException | IllegalStateException notYet) {
                // the alias does not exist until the first document, or Elasticsearch is still recovering
            }
            Thread.sleep(250);
        }
        return c;
    }

    long count(boolean refresh) throws IOException, InterruptedException {
        if (refresh) es("POST", "/" + ALIAS + "/_refresh", null);
        return es("GET", "/" + ALIAS + "/_count", null).get("count").asLong();
    }

    long countWhere(String field, String term) throws IOException, InterruptedException {
        ObjectNode query = JSON.createObjectNode();
        query.putObject("query").putObject("term").put(field, term);
        return es("POST", "/" + ALIAS + "/_count", query).get("count").asLong();
    }

    /** Event id → the indices holding a document with it, over every document of the alias (search_after). */
    Map<String, List<String>> allDocuments() throws IOException, InterruptedException {
        Map<String, List<String>> seen = new TreeMap<>();
        JsonNode after = null;
        while (true) {
            ObjectNode query = JSON.createObjectNode();
            query.put("size", 10_000);
            query.put("_source", false);
            query.put("track_total_hits", false);
            ArrayNode sort = query.putArray("sort");
            sort.addObject().put("event.id", "asc");
            sort.addObject().put("_index", "asc"); // unique with the event id, should one be in two indices
            if (after != null) query.set("search_after", after);
            ArrayNode hits = (ArrayNode)
                    es("POST", "/" + ALIAS + "/_search", query).get("hits").get("hits");
            if (hits.isEmpty()) return seen;
            for (JsonNode h : hits) {
                String eventId = h.get("sort").get(0).asText();
                assertThat(h.get("_id").asText())
                        .as("document id of event " + eventId)
                        .isEqualTo(eventId);
                seen.computeIfAbsent(eventId, k -> new ArrayList<>())
                        .add(h.get("_index").asText());
            }
            after = hits.get(hits.size() - 1).get("sort");
        }
    }

    JsonNode es(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(elasticsearch.url() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(method + " " + path + ": " + r.statusCode());
        return JSON.readTree(r.body());
    }

    // --- the worker

    static Path pluginPath() {
        Path p = Path.of(System.getProperty("logflow.connectPluginPath", "target/plugin"))
                .toAbsolutePath();
        Path sink = p.resolve("logflow-elasticsearch-sink");
        try (Stream<Path> jars = Files.list(sink)) {
            assertThat(jars.map(j -> j.getFileName().toString()))
                    .as("the plugin directory " + sink + " (built by package)")
                    .anyMatch(n -> n.startsWith("logflow-connectors-") && n.endsWith(".jar"));
        } catch (IOException e) {
            throw new IllegalStateException("no Connect plugin at " + sink + ": run package first", e);
        }
        return p;
    }

    static String running(int tasks) {
        String[] states = new String[tasks];
        Arrays.fill(states, "RUNNING");
        return "RUNNING [" + String.join(", ", states) + "]";
    }

    /** The connector's status, polled: every state seen, and when it was not all RUNNING. */
    static final class StatusLog {
        final String url;
        final String healthy;
        final long start = System.nanoTime();
        final AtomicInteger polls = new AtomicInteger();
        final Map<String, Integer> states = new ConcurrentHashMap<>();
        final List<String> notRunning = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();

        StatusLog(String url, String healthy) {
            this.url = url;
            this.healthy = healthy;
        }

        void poll() {
            String at = String.format("%.0f s", (System.nanoTime() - start) / 1e9);
            try {
                String s = SearchSink.status(url);
                polls.incrementAndGet();
                states.merge(String.valueOf(s), 1, Integer::sum);
                if (!healthy.equals(s)) notRunning.add(at + ": " + s);
            } catch (IOException e) {
                errors.add(at + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) TimeUnit.NANOSECONDS.sleep(left);
    }
}
