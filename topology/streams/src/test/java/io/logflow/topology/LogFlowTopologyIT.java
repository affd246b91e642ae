package io.logflow.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.LogCounts;
import io.logflow.model.LogRecord;
import io.logflow.model.schema.DeadLetters;
import io.logflow.model.schema.Stores;
import io.logflow.model.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole topology on a real broker with the production settings (exactly-once, dead-letter
 * handler): exact totals, the dead-letter topic, a trace's logs in the partitions of its services,
 * and a restart from the changelogs alone.
 */
class LogFlowTopologyIT {
    static final int PARTITIONS = 3;
    static final int SERVICES = 5;
    /** -Dlogflow.it.logs=1000000 turns this into a rough throughput measurement. */
    static final int LOGS = Integer.getInteger("logflow.it.logs", 20_000);
    /**
     * -Dlogflow.it.logsPerTrace=10 gives every other log a trace id too (a new trace every 10 logs), to
     * measure the cost of trace logs; 0 (default): only the checked trace has logs with a trace id.
     */
    static final int LOGS_PER_TRACE = Integer.getInteger("logflow.it.logsPerTrace", 0);

    static KafkaBroker broker;

    @TempDir
    Path stateDir;

    @TempDir
    Path otherStateDir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicSetup.ensure(admin, PARTITIONS, (short) 1);
        }
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void countsEveryValidLogExactlyOnce_deadLettersTheRest_andRestoresFromChangelogs() throws Exception {
        String appId = "logflow-it-" + UUID.randomUUID();
        List<String> deadLetterCategories = Collections.synchronizedList(new ArrayList<>());
        long t0 = Instant.now().minusSeconds(3600).toEpochMilli();
        String traceId = String.format("%032x", 0xabcdefL);

        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < LOGS; i++) {
                // one trace, its logs from every service (1001 % SERVICES != 0), so from several logflow.logs
                // partitions
                String trace = i % 1001 == 0
                        ? ",\"trace_id\":\"" + traceId + "\""
                        : LOGS_PER_TRACE > 0
                                ? ",\"trace_id\":\"" + String.format("%032x", 0x1000000L + i / LOGS_PER_TRACE) + "\""
                                : "";
                String json = "{\"@timestamp\":" + (t0 + i) + ",\"service\":\"svc-" + (i % SERVICES) + "\",\"level\":\""
                        + (i % 10 == 0 ? "error" : "info") + "\",\"message\":\"request " + i + " took " + (i % 97)
                        + " ms\"" + trace + "}";
                send(producer, new ProducerRecord<>(Topics.LOGS.name(), json.getBytes(StandardCharsets.UTF_8)));
            }
            send(producer, new ProducerRecord<>(Topics.LOGS.name(), "not json".getBytes(StandardCharsets.UTF_8)));
            send(
                    producer,
                    new ProducerRecord<>(Topics.LOGS.name(), "{\"level\":\"info\"}".getBytes(StandardCharsets.UTF_8)));
            send(producer, new ProducerRecord<>(Topics.LOGS.name(), new byte[Topics.MAX_LOG_BYTES + 1]));
            // written straight to logflow.logs, bypassing the normaliser: fails deserialisation (KIP-1034 path)
            send(
                    producer,
                    new ProducerRecord<>(
                            Topics.LOGS_NORMALIZED.name(),
                            "svc-0".getBytes(StandardCharsets.UTF_8),
                            "garbage".getBytes(StandardCharsets.UTF_8)));
            flushAndCheck(producer);
        }

        long start = System.nanoTime(); // everything is in `logs`: from here on, only the topology works
        long cpuStart = processCpuNanos();
        KafkaStreams streams = start(appId, stateDir, deadLetterCategories);

        awaitTrue(Duration.ofSeconds(120), () -> totalCount(streams, "svc-") == LOGS);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        System.out.printf(
                "LogFlowTopologyIT: %d logs counted %.1f s after start (%.0f logs/s, including startup); "
                        + "CPU of this JVM (topology + broker) %.1f s = %.1f µs per log%n",
                LOGS, seconds, LOGS / seconds, cpuSeconds, cpuSeconds * 1e6 / LOGS);

        printThreadCpu();
        List<ConsumerRecord<byte[], byte[]>> dead = readDeadLetters(4);
        assertThat(dead)
                .extracting(r -> header(r, DeadLetters.CATEGORY))
                .containsExactlyInAnyOrder("invalid_json", "missing_message", "too_large", "deserialization_error");
        assertThat(dead)
                .extracting(r -> header(r, DeadLetters.SOURCE_TOPIC))
                .containsExactlyInAnyOrder("logs", "logs", "logs", "logflow.logs");
        ConsumerRecord<byte[], byte[]> undeserializable = dead.stream()
                .filter(r -> header(r, DeadLetters.SOURCE_TOPIC).equals("logflow.logs"))
                .findFirst()
                .orElseThrow();
        assertThat(new String(undeserializable.value(), StandardCharsets.UTF_8)).isEqualTo("garbage");
        assertThat(header(undeserializable, DeadLetters.REASON)).startsWith("cannot deserialize: ");
        awaitTrue(Duration.ofSeconds(10), () -> deadLetterCategories.size() == 4);
        assertThat(deadLetterCategories)
                .containsExactlyInAnyOrder("invalid_json", "missing_message", "too_large", "deserialization_error");

        // no repartition: partition p of trace-logs holds the trace's logs of the services on logflow.logs partition p
        int traceLogs = (LOGS - 1) / 1001 + 1;
        Map<Integer, java.util.Set<String>> servicesByPartition = new java.util.TreeMap<>();
        for (int s = 0; s < SERVICES && s < traceLogs; s++) {
            KeyQueryMetadata m = streams.queryMetadataForKey(
                    Stores.SERVICES.name(), "svc-" + s, Serdes.String().serializer());
            assertThat(m.activeHost()).isEqualTo(new org.apache.kafka.streams.state.HostInfo("127.0.0.1", 18080));
            servicesByPartition
                    .computeIfAbsent(m.partition(), p -> new java.util.TreeSet<>())
                    .add("svc-" + s);
        }
        assertThat(servicesByPartition)
                .as("the trace's services are on several partitions")
                .hasSizeGreaterThan(1);
        List<Long> times = new ArrayList<>();
        Map<Integer, java.util.Set<String>> storedByPartition = new java.util.TreeMap<>();
        awaitTrue(Duration.ofSeconds(30), () -> {
            times.clear();
            storedByPartition.clear();
            for (int p = 0; p < PARTITIONS; p++) {
                int partitionId = p;
                ReadOnlyWindowStore<String, LogRecord> partition = streams.store(StoreQueryParameters.fromNameAndType(
                                Stores.TRACE_LOGS.name(), QueryableStoreTypes.<String, LogRecord>windowStore())
                        .withPartition(p));
                List<Long> here = new ArrayList<>();
                try (var it = partition.fetch(traceId, Instant.ofEpochMilli(t0), Instant.ofEpochMilli(t0 + LOGS))) {
                    it.forEachRemaining(kv -> {
                        here.add(kv.value.timestamp());
                        storedByPartition
                                .computeIfAbsent(partitionId, k -> new java.util.TreeSet<>())
                                .add(kv.value.service());
                    });
                }
                assertThat(here).isSorted();
                times.addAll(here);
            }
            return times.size() == traceLogs;
        });
        assertThat(storedByPartition).isEqualTo(servicesByPartition);
        streams.close(StreamsSettings.closeOptions(Duration.ofSeconds(30)));

        // a new instance with an empty state directory rebuilds every store from its changelog
        long restart = System.nanoTime();
        KafkaStreams restored = start(appId, otherStateDir, deadLetterCategories);
        try {
            awaitTrue(Duration.ofSeconds(120), () -> totalCount(restored, "svc-") == LOGS);
            System.out.printf(
                    "LogFlowTopologyIT: restarted and restored in %.1f s%n", (System.nanoTime() - restart) / 1e9);
            assertThat(deadLetterCategories).hasSize(4); // exactly once: nothing reprocessed
        } finally {
            restored.close(StreamsSettings.closeOptions(Duration.ofSeconds(30)));
        }
    }

    @Test
    void catchUpAfterDowntime_countsEveryOnTimeLogInItsWindow() throws Exception {
        // Shippers kept writing in order while LogFlow was down: 6 minutes of logs on every partition.
        // When the topology starts, its normaliser tasks race through the backlog at different speeds, so
        // logflow.logs interleaves minutes far apart; no on-time log may be dropped from its window.
        String appId = "logflow-catchup-" + UUID.randomUUID();
        long t0 =
                ServiceStatsTopology.windowStart(Instant.now().minusSeconds(600).toEpochMilli());
        int perPartition = 3_000;
        long step = 6 * 60_000L / perPartition;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int p = 0; p < PARTITIONS; p++) {
                for (int i = 0; i < perPartition; i++) {
                    long ts = t0 + i * step;
                    String json = "{\"@timestamp\":" + ts + ",\"service\":\"catchup-" + (i % SERVICES)
                            + "\",\"message\":\"m " + i + "\"}";
                    send(
                            producer,
                            new ProducerRecord<>(
                                    Topics.LOGS.name(), p, ts, null, json.getBytes(StandardCharsets.UTF_8)));
                }
            }
            flushAndCheck(producer);
        }
        KafkaStreams streams = start(appId, stateDir, Collections.synchronizedList(new ArrayList<>()));
        try {
            int expected = PARTITIONS * perPartition;
            awaitTrue(
                    Duration.ofSeconds(120),
                    () -> totalCount(streams, "catchup-") == expected,
                    () -> "counted " + totalCount(streams, "catchup-") + " of " + expected + ", state "
                            + streams.state() + ", " + streams.metadataForLocalThreads());
            ReadOnlyWindowStore<String, LogCounts> stats = streams.store(StoreQueryParameters.fromNameAndType(
                    Stores.SERVICE_STATS.name(), QueryableStoreTypes.windowStore()));
            long windowed = 0;
            try (var it = stats.fetchAll(Instant.ofEpochMilli(t0), Instant.ofEpochMilli(t0 + 10 * 60_000L))) {
                while (it.hasNext()) {
                    var kv = it.next();
                    if (kv.key.key().startsWith("catchup-")) windowed += kv.value.total();
                }
            }
            assertThat(windowed).isEqualTo(expected);
        } finally {
            streams.close(StreamsSettings.closeOptions(Duration.ofSeconds(30)));
        }
    }

    /** Where the CPU went, by kind of thread (stream thread, producer I/O, broker, ...). */
    private static void printThreadCpu() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> byKind = new java.util.TreeMap<>();
        for (long id : mx.getAllThreadIds()) {
            var info = mx.getThreadInfo(id);
            long cpu = mx.getThreadCpuTime(id);
            if (info == null || cpu <= 0) continue;
            String kind = info.getThreadName()
                    .replaceAll("logflow-it-[0-9a-f-]+", "app")
                    .replaceAll("[0-9]+", "N");
            byKind.merge(kind, cpu, Long::sum);
        }
        byKind.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> System.out.printf("  cpu %6.1f s  %s%n", e.getValue() / 1e9, e.getKey()));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static KafkaStreams start(String appId, Path dir, List<String> deadLetters) throws InterruptedException {
        Properties props = StreamsSettings.build(
                broker.bootstrapServers(),
                appId,
                "127.0.0.1:18080",
                dir,
                Integer.getInteger("logflow.it.threads", 1),
                overrides());
        props.put(StreamsSettings.DEAD_LETTER_LISTENER_CONFIG, (DeadLetterListener) deadLetters::add);
        KafkaStreams streams = new KafkaStreams(
                LogFlowTopology.build(TopologyOptions.defaults().withDeadLetters(deadLetters::add)), props);
        streams.start();
        awaitTrue(Duration.ofSeconds(60), () -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    /** -Dlogflow.it.overrides=commit.interval.ms=500,producer.linger.ms=20 to try settings. */
    private static Map<String, String> overrides() {
        Map<String, String> out = new java.util.HashMap<>();
        for (String kv : System.getProperty("logflow.it.overrides", "").split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) out.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return out;
    }

    private static long totalCount(KafkaStreams streams, String servicePrefix) {
        try {
            ReadOnlyKeyValueStore<String, LogCounts> services = streams.store(
                    StoreQueryParameters.fromNameAndType(Stores.SERVICES.name(), QueryableStoreTypes.keyValueStore()));
            long total = 0;
            try (var it = services.all()) {
                while (it.hasNext()) {
                    var kv = it.next();
                    if (kv.key.startsWith(servicePrefix)) total += kv.value.total();
                }
            }
            return total;
        } catch (InvalidStateStoreException e) {
            return -1; // rebalancing or restoring
        }
    }

    private final java.util.concurrent.atomic.AtomicReference<Exception> sendFailure =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** Sends, keeping the first failure: a lost test record must fail the test at once, not time it out. */
    private void send(KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
        producer.send(record, (meta, e) -> {
            if (e != null) sendFailure.compareAndSet(null, e);
        });
    }

    private void flushAndCheck(KafkaProducer<byte[], byte[]> producer) {
        producer.flush();
        assertThat(sendFailure.get()).as("a test record was not written").isNull();
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        Topics.MAX_MESSAGE_BYTES,
                        ProducerConfig.LINGER_MS_CONFIG,
                        10,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        131072),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(int expected) throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "dlq-reader-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DLQ.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline)
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void awaitTrue(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        awaitTrue(timeout, condition, () -> "");
    }

    /** {@code why} describes the state when the condition is not met in time, for the failure message. */
    private static void awaitTrue(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> why)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("condition not met within " + timeout + ": " + why.get());
            Thread.sleep(100);
        }
    }
}
