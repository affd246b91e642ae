package io.logflow.e2e;

import io.logflow.model.schema.Topics;
import io.logflow.topology.StreamsSettings;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka Streams floor of the log benchmark: the least an exactly-once Kafka Streams application can do with each
 * log. It reads {@code logs}, writes every record unchanged to one output topic and puts it into one persistent,
 * changelogged key-value store (keyed by partition and offset, so every record is a store write and a changelog
 * record), with LogFlow's own production settings ({@link StreamsSettings}: exactly-once v2, 100 ms commits, the same
 * stream threads, batches and record cache). It runs in the benchmark's JVM over the same pre-produced logs, before
 * LogFlow's server starts; its throughput is counted, like LogFlow's, from RUNNING until its committed offsets cover
 * every input record (exactly-once: committed = visible downstream), cold over all records and warm over the last
 * {@code logs}.
 */
final class StreamsFloor {
    static final String OUTPUT = "bench.floor-out";
    static final String STORE = "bench-floor-store";

    private StreamsFloor() {}

    /** The identity topology: {@code logs} → store put → {@value #OUTPUT}. */
    static Topology topology() {
        StreamsBuilder b = new StreamsBuilder();
        b.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(STORE), Serdes.ByteArray(), Serdes.ByteArray())
                .withLoggingEnabled(Map.of()));
        b.stream(
                        Topics.LOGS.name(),
                        org.apache.kafka.streams.kstream.Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                .withName("floor-source"))
                .process(Identity::new, org.apache.kafka.streams.kstream.Named.as("floor-identity"), STORE)
                .to(
                        OUTPUT,
                        org.apache.kafka.streams.kstream.Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                                .withName("floor-sink"));
        return b.build();
    }

    /** Puts each record into the store under its partition and offset, then forwards it unchanged. */
    static final class Identity implements Processor<byte[], byte[], byte[], byte[]> {
        private ProcessorContext<byte[], byte[]> context;
        private KeyValueStore<byte[], byte[]> store;

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            var meta = context.recordMetadata().orElseThrow();
            byte[] key = ByteBuffer.allocate(12)
                    .putInt(meta.partition())
                    .putLong(meta.offset())
                    .array();
            store.put(key, record.value());
            context.forward(record);
        }
    }

    /**
     * Runs the floor over every record of {@code logs} ({@code total}: warm-up plus measured logs, {@code warmup} of
     * them first) and puts its figures into {@code results} ({@code streams_floor_*}). Bounded: 60 s to RUNNING, then
     * 60 s + 1 ms per record, and 30 s without progress.
     */
    static void run(
            String bootstrap, Path workDir, int streamThreads, long total, long warmup, Map<String, Object> results)
            throws Exception {
        String appId = "bench-floor-" + Long.toHexString(System.nanoTime());
        Map<String, Object> admin = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin a = Admin.create(admin)) {
            int partitions = a.describeTopics(List.of(Topics.LOGS.name()))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(Topics.LOGS.name())
                    .partitions()
                    .size();
            a.createTopics(List.of(new NewTopic(OUTPUT, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> ends = endOffsets(a, partitions);
            long inTopic = ends.values().stream().mapToLong(Long::longValue).sum();
            Bench.say(
                    "Kafka Streams floor: an identity exactly-once app (%s → store with changelog → %s), %d stream "
                            + "threads, LogFlow's settings, over the %,d records of '%s'",
                    Topics.LOGS.name(), OUTPUT, streamThreads, inTopic, Topics.LOGS.name());
            var props = StreamsSettings.build(
                    bootstrap, appId, null, workDir.resolve("floor-state"), streamThreads, Map.of());
            long started = System.nanoTime();
            KafkaStreams streams = new KafkaStreams(topology(), props);
            try {
                streams.start();
                long deadline = started + TimeUnit.SECONDS.toNanos(60);
                while (streams.state() != KafkaStreams.State.RUNNING) {
                    if (streams.state() == KafkaStreams.State.ERROR
                            || streams.state() == KafkaStreams.State.NOT_RUNNING)
                        throw new IllegalStateException("the floor app stopped: " + streams.state());
                    if (System.nanoTime() > deadline)
                        throw new IllegalStateException(
                                "the floor app was not RUNNING within 60 s: " + streams.state());
                    Thread.sleep(20);
                }
                long t0 = System.nanoTime();
                CpuTimes cpu0 = CpuTimes.now(ProcessHandle.current().pid(), 0);
                long end = t0 + TimeUnit.SECONDS.toNanos(60) + TimeUnit.MILLISECONDS.toNanos(total);
                long warmAt = warmup == 0 ? t0 : -1;
                long warmDone = 0;
                long done = 0;
                long lastProgress = t0;
                long nextSay = t0 + TimeUnit.SECONDS.toNanos(5);
                while (true) {
                    long c = committed(a, appId, ends);
                    long now = System.nanoTime();
                    if (c > done) {
                        done = c;
                        lastProgress = now;
                    }
                    if (warmAt < 0 && done >= warmup) {
                        warmAt = now;
                        warmDone = done;
                    }
                    if (done >= inTopic) break;
                    if (streams.state() == KafkaStreams.State.ERROR)
                        throw new IllegalStateException("the floor app failed after " + done + " records");
                    if (now > end || now - lastProgress > TimeUnit.SECONDS.toNanos(30))
                        throw new IllegalStateException("the floor app committed " + done + " of " + inTopic
                                + " records and stopped making progress");
                    if (now > nextSay) {
                        Bench.say("  ... floor: %,d committed after %.0f s", done, (now - t0) / 1e9);
                        nextSay = now + TimeUnit.SECONDS.toNanos(5);
                    }
                    Thread.sleep(50);
                }
                long t1 = System.nanoTime();
                CpuTimes cpu = CpuTimes.now(ProcessHandle.current().pid(), 0).minus(cpu0);
                double secs = (t1 - t0) / 1e9;
                double warmSecs = (t1 - warmAt) / 1e9;
                long warmLogs = inTopic - warmDone;
                double cpuUs = cpu.server().toNanos() / 1e3 / inTopic;
                results.put("streams_floor_records", inTopic);
                results.put("streams_floor_threads", streamThreads);
                results.put("streams_floor_start_seconds", Bench.round((t0 - started) / 1e9, 2));
                results.put("streams_floor_seconds", Bench.round(secs, 2));
                results.put("streams_floor_logs_per_s", Bench.round(inTopic / secs, 0));
                results.put("streams_floor_warm_logs", warmLogs);
                results.put("streams_floor_warm_logs_per_s", Bench.round(warmLogs / warmSecs, 0));
                results.put("streams_floor_cpu_us_per_log", Bench.round(cpuUs, 1));
                Bench.say(
                        "Kafka Streams floor: %,d records committed in %.1f s: %,.0f logs/s cold; the last %,d in "
                                + "%.1f s: %,.0f logs/s warm; %.1f µs of CPU per log (the bench's JVM, which runs it)",
                        inTopic, secs, inTopic / secs, warmLogs, warmSecs, warmLogs / warmSecs, cpuUs);
            } finally {
                streams.close(StreamsSettings.closeOptions(Duration.ofSeconds(30)));
                streams.cleanUp();
                // the broker need not keep its output and changelog while LogFlow is measured
                try {
                    a.deleteTopics(List.of(OUTPUT, appId + "-" + STORE + "-changelog"))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    Bench.say("Kafka Streams floor: could not delete its topics: %s", e);
                }
            }
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin a, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> q = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) q.put(new TopicPartition(Topics.LOGS.name(), p), OffsetSpec.latest());
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        a.listOffsets(q).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /**
     * Input records the app has committed: per partition its committed offset, at most the end offset (a committed
     * offset past the last record also counts the transaction markers between them, which are no records).
     */
    private static long committed(Admin a, String appId, Map<TopicPartition, Long> ends) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> c = a.listConsumerGroupOffsets(appId)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        long sum = 0;
        for (var e : ends.entrySet()) {
            OffsetAndMetadata m = c.get(e.getKey());
            if (m != null) sum += Math.min(m.offset(), e.getValue());
        }
        return sum;
    }
}
