package io.logflow.api.query;

import io.logflow.api.cluster.Cluster;
import io.logflow.api.cluster.Part;
import io.logflow.api.cluster.QueryViews;
import io.logflow.api.cluster.StoreMetadata;
import io.logflow.api.cluster.StreamsRuntime;
import io.logflow.api.cluster.View;
import io.logflow.api.config.LogFlowMetrics;
import io.logflow.api.query.RateWindow.Rate;
import io.logflow.api.web.RequestIds;
import io.logflow.api.web.Responses;
import io.logflow.model.schema.Topic;
import io.logflow.model.schema.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The pipeline's own vitals for the operator ({@code GET /api/v1/metrics/system}): every instance's Kafka Streams
 * state and threads, the partitions of each store it runs (active and standby) with their estimated size, its
 * consumer lag per topic and partition, its standby lag, and its ingest and dead-letter counters with their rates
 * over the last minute; asked of every instance ({@link Cluster#everyInstance}) and summed. The same numbers are in
 * {@code /actuator/prometheus} ({@code logflow_*}, {@code kafka_stream_*}, {@code kafka_consumer_*}).
 */
@Component
public class SystemVitals implements QueryViews, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemVitals.class);
    /** Rates are per second over this window. */
    static final long RATE_WINDOW_MS = 60_000;
    /** Counters are snapshotted this often (and at every read, when the last snapshot is this old). */
    static final long SNAPSHOT_EVERY_MS = 5_000;
    /** The topics logs and spans arrive on (from the API's receivers and from anything writing to Kafka). */
    static final List<String> INPUT_TOPICS =
            List.of(Topics.LOGS.name(), Topics.OTLP_SPANS.name(), Topics.OTLP_LOGS.name());

    /**
     * The partitions of one store on one instance and its estimated size (RocksDB estimates over the local copies,
     * active and standby; null for a store RocksDB does not report).
     */
    record StoreVitals(Set<Integer> active, Set<Integer> standby, Long estimatedEntries, Long sstBytes) {}

    /** One stream thread: its state and tasks. */
    record ThreadVitals(String name, String state, List<String> activeTasks, List<String> standbyTasks) {}

    /**
     * One instance's vitals.
     *
     * @param partitions every input partition of an active task here
     * @param consumerLag per topic and partition read by this instance's stream threads: records behind the end
     * @param standbyLag per store and standby partition: offsets behind the changelog's end
     * @param ingest accepted by this instance's receivers ({@code api}, {@code otlp_spans}, {@code otlp_log_records})
     *     and read by its topology from the input topics ({@code kafka}: whoever produced them)
     * @param consumed records read by this instance's stream threads, per topic
     * @param deadLetters dead-lettered by this instance's topology, per reason
     */
    record VitalsPart(
            String instance,
            String state,
            int streamThreads,
            List<ThreadVitals> threads,
            Map<String, StoreVitals> stores,
            Map<String, Map<Integer, Long>> consumerLag,
            Map<String, Map<Integer, Long>> standbyLag,
            Map<String, Rate> ingest,
            Map<String, Rate> consumed,
            Map<String, Rate> deadLetters,
            Set<Integer> partitions)
            implements Part {}

    /** One instance in the answer: its vitals, or why it did not answer. */
    record InstanceView(String instance, String error, VitalsPart vitals) {}

    /** The answer: the instances' counters summed, the lag of every partition, and each instance. */
    record SystemView(
            String at,
            int instances,
            int answered,
            Map<String, Rate> ingest,
            Map<String, Rate> deadLetters,
            long consumerLagTotal,
            Map<String, Map<Integer, Long>> consumerLag,
            List<InstanceView> instanceList) {}

    private final StreamsRuntime runtime;
    private final StoreMetadata metadata;
    private final Cluster cluster;
    private final LogFlowMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    private final RateWindow ingestRates = new RateWindow(RATE_WINDOW_MS, SNAPSHOT_EVERY_MS);
    private final RateWindow consumedRates = new RateWindow(RATE_WINDOW_MS, SNAPSHOT_EVERY_MS);
    private final RateWindow deadLetterRates = new RateWindow(RATE_WINDOW_MS, SNAPSHOT_EVERY_MS);
    private final ScheduledExecutorService snapshots = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "logflow-vitals");
        t.setDaemon(true);
        return t;
    });

    final View<Boolean, VitalsPart> view;

    SystemVitals(StreamsRuntime runtime, StoreMetadata metadata, Cluster cluster, LogFlowMetrics metrics) {
        this.runtime = runtime;
        this.metadata = metadata;
        this.cluster = cluster;
        this.metrics = metrics;
        this.view = View.of("vitals", null, VitalsPart.class, none -> Map.of(), q -> true, none -> local());
        snapshots.scheduleWithFixedDelay(this::snapshot, SNAPSHOT_EVERY_MS, SNAPSHOT_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public List<View<?, ?>> views() {
        return List.of(view);
    }

    @Override
    public void close() {
        snapshots.shutdownNow();
    }

    /** {@code GET /api/v1/metrics/system}: every instance's vitals, from any instance. */
    public Mono<ServerResponse> system(ServerRequest req) {
        return cluster.everyInstance(view, true, RequestIds.of(req))
                .map(replies -> merge(clock.instant(), replies))
                .flatMap(Responses::json);
    }

    private void snapshot() {
        try {
            rates(clock.millis(), runtime.streams());
        } catch (RuntimeException e) {
            log.debug("vitals snapshot failed: {}", e.toString());
        }
    }

    private record Rates(Map<String, Rate> ingest, Map<String, Rate> consumed, Map<String, Rate> deadLetters) {}

    private Rates rates(long now, KafkaStreams ks) {
        Map<String, Double> consumed = ks == null ? Map.of() : consumedTotals(ks.metrics(), topicNames());
        Map<String, Double> ingest = new HashMap<>(metrics.ingestTotals());
        double kafka = 0;
        for (String t : INPUT_TOPICS) kafka += consumed.getOrDefault(t, 0.0);
        ingest.put("kafka", kafka);
        return new Rates(
                ingestRates.update(now, ingest),
                consumedRates.update(now, consumed),
                deadLetterRates.update(now, metrics.deadLetterTotals()));
    }

    /** This instance's vitals. */
    VitalsPart local() {
        KafkaStreams ks = runtime.streams();
        var self = runtime.self(); // null until Kafka Streams starts (after the web server)
        String instance = self == null ? "starting" : self.host() + ":" + self.port();
        Rates rates = rates(clock.millis(), ks);
        if (ks == null)
            return new VitalsPart(
                    instance,
                    KafkaStreams.State.CREATED.name(),
                    0,
                    List.of(),
                    Map.of(),
                    Map.of(),
                    Map.of(),
                    rates.ingest(),
                    rates.consumed(),
                    rates.deadLetters(),
                    Set.of());
        Set<ThreadMetadata> threads = Set.of();
        try {
            threads = ks.metadataForLocalThreads();
        } catch (RuntimeException e) { // closing
            log.debug("no thread metadata: {}", e.toString());
        }
        List<ThreadVitals> threadViews = new ArrayList<>();
        Set<TopicPartition> active = new java.util.HashSet<>();
        Set<TopicPartition> standby = new java.util.HashSet<>();
        for (ThreadMetadata t : threads) {
            threadViews.add(
                    new ThreadVitals(t.threadName(), t.threadState(), tasks(t.activeTasks()), tasks(t.standbyTasks())));
            t.activeTasks().forEach(task -> active.addAll(task.topicPartitions()));
            t.standbyTasks().forEach(task -> standby.addAll(task.topicPartitions()));
        }
        threadViews.sort(java.util.Comparator.comparing(ThreadVitals::name));
        Map<MetricName, ? extends Metric> all = ks.metrics();
        Map<String, long[]> sizes = storeSizes(all);
        Map<String, StoreVitals> stores = new TreeMap<>();
        Set<Integer> partitions = new TreeSet<>();
        for (String store : metadata.storeNames()) {
            Set<String> sources = metadata.sourcesOf(store);
            Set<Integer> a = partitionsOf(active, sources);
            partitions.addAll(a);
            long[] size = sizes.get(store);
            stores.put(
                    store,
                    new StoreVitals(
                            a,
                            partitionsOf(standby, sources),
                            size == null ? null : size[0],
                            size == null ? null : size[1]));
        }
        return new VitalsPart(
                instance,
                ks.state().name(),
                threadViews.size(),
                threadViews,
                stores,
                consumerLag(all, topicNames()),
                standbyLag(ks, standby, stores),
                rates.ingest(),
                rates.consumed(),
                rates.deadLetters(),
                partitions);
    }

    private static List<String> tasks(Set<TaskMetadata> tasks) {
        List<String> out = new ArrayList<>();
        for (TaskMetadata t : tasks) out.add(t.taskId().toString());
        out.sort(null);
        return out;
    }

    private static Set<Integer> partitionsOf(Set<TopicPartition> tps, Set<String> topics) {
        Set<Integer> out = new TreeSet<>();
        for (TopicPartition tp : tps) if (topics.contains(tp.topic())) out.add(tp.partition());
        return out;
    }

    /** Standby partitions' lag per store ({@code allLocalStorePartitionLags}: offsets behind the changelog's end). */
    private static Map<String, Map<Integer, Long>> standbyLag(
            KafkaStreams ks, Set<TopicPartition> standby, Map<String, StoreVitals> stores) {
        if (standby.isEmpty()) return Map.of();
        Map<String, Map<Integer, Long>> out = new TreeMap<>();
        try {
            for (Map.Entry<String, Map<Integer, LagInfo>> e :
                    ks.allLocalStorePartitionLags().entrySet()) {
                StoreVitals s = stores.get(e.getKey());
                if (s == null) continue;
                e.getValue().forEach((p, lag) -> {
                    if (s.standby().contains(p))
                        out.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).put(p, lag.offsetLag());
                });
            }
        } catch (RuntimeException e) { // not running or rebalancing: no lag known now
            log.debug("no store lags: {}", e.toString());
        }
        return out;
    }

    /** The topics this instance may read, by their name in consumer metrics ('.' replaced by '_'). */
    private Map<String, String> topicNames() {
        Map<String, String> out = new HashMap<>();
        for (Topic<?, ?> t : Topics.ALL) out.put(t.name().replace('.', '_'), t.name());
        for (String store : metadata.storeNames())
            for (String t : metadata.sourcesOf(store)) out.put(t.replace('.', '_'), t);
        return out;
    }

    /** The main consumer of each stream thread (not the restore or global consumer). */
    static boolean mainConsumer(MetricName m) {
        String client = m.tags().getOrDefault("client-id", "");
        return m.group().equals("consumer-fetch-manager-metrics")
                && client.endsWith("-consumer")
                && !client.endsWith("-restore-consumer")
                && !client.endsWith("-global-consumer");
    }

    /** {@code records-lag} of the stream threads' consumers, per topic and partition. */
    static Map<String, Map<Integer, Long>> consumerLag(
            Map<MetricName, ? extends Metric> metrics, Map<String, String> topicNames) {
        Map<String, Map<Integer, Long>> out = new TreeMap<>();
        metrics.forEach((name, metric) -> {
            if (!name.name().equals("records-lag") || !mainConsumer(name)) return;
            String topic = name.tags().get("topic");
            String partition = name.tags().get("partition");
            if (topic == null || partition == null) return;
            if (!(metric.metricValue() instanceof Number n) || Double.isNaN(n.doubleValue())) return;
            out.computeIfAbsent(topicNames.getOrDefault(topic, topic), t -> new TreeMap<>())
                    .merge(Integer.parseInt(partition), n.longValue(), Math::max);
        });
        return out;
    }

    /**
     * {@code records-consumed-total} of the stream threads' consumers, per topic. A topic with a '.' may be reported
     * twice by one consumer (its name as it is and with '_', KIP-1109): counted once.
     */
    static Map<String, Double> consumedTotals(
            Map<MetricName, ? extends Metric> metrics, Map<String, String> topicNames) {
        Map<List<String>, Double> byClient = new HashMap<>();
        metrics.forEach((name, metric) -> {
            if (!name.name().equals("records-consumed-total") || !mainConsumer(name)) return;
            String topic = name.tags().get("topic");
            if (topic == null || name.tags().containsKey("partition")) return;
            if (metric.metricValue() instanceof Number n && !Double.isNaN(n.doubleValue()))
                byClient.merge(
                        List.of(name.tags().get("client-id"), topicNames.getOrDefault(topic, topic)),
                        n.doubleValue(),
                        Math::max);
        });
        Map<String, Double> out = new TreeMap<>();
        byClient.forEach((clientTopic, total) -> out.merge(clientTopic.get(1), total, Double::sum));
        return out;
    }

    /** RocksDB's {@code estimate-num-keys} and {@code total-sst-files-size} per store, summed over its tasks. */
    static Map<String, long[]> storeSizes(Map<MetricName, ? extends Metric> metrics) {
        Map<String, long[]> out = new HashMap<>();
        metrics.forEach((name, metric) -> {
            if (!name.group().equals("stream-state-metrics")) return;
            int i = switch (name.name()) {
                case "estimate-num-keys" -> 0;
                case "total-sst-files-size" -> 1;
                default -> -1;
            };
            if (i < 0) return;
            String store = null;
            for (Map.Entry<String, String> tag : name.tags().entrySet())
                if (tag.getKey().startsWith("rocksdb-") && tag.getKey().endsWith("-id")) store = tag.getValue();
            if (store == null || !(metric.metricValue() instanceof Number n)) return;
            out.computeIfAbsent(store, s -> new long[2])[i] += n.longValue();
        });
        return out;
    }

    /** Sums the instances' counters and rates and merges their consumer lag (each partition read by one). */
    static SystemView merge(Instant at, List<Cluster.Reply<VitalsPart>> replies) {
        Map<String, Rate> ingest = new TreeMap<>();
        Map<String, Rate> deadLetters = new TreeMap<>();
        Map<String, Map<Integer, Long>> lag = new TreeMap<>();
        List<InstanceView> instances = new ArrayList<>();
        int answered = 0;
        for (Cluster.Reply<VitalsPart> r : replies) {
            instances.add(new InstanceView(r.instance(), r.error(), r.part()));
            VitalsPart p = r.part();
            if (p == null) continue;
            answered++;
            p.ingest().forEach((k, v) -> ingest.merge(k, v, SystemVitals::plus));
            p.deadLetters().forEach((k, v) -> deadLetters.merge(k, v, SystemVitals::plus));
            p.consumerLag()
                    .forEach((topic, partitions) -> partitions.forEach((tp, l) ->
                            lag.computeIfAbsent(topic, t -> new TreeMap<>()).merge(tp, l, Math::max)));
        }
        long total = 0;
        for (Map<Integer, Long> partitions : lag.values()) for (long l : partitions.values()) total += l;
        return new SystemView(at.toString(), replies.size(), answered, ingest, deadLetters, total, lag, instances);
    }

    private static Rate plus(Rate a, Rate b) {
        return new Rate(a.total() + b.total(), Math.round((a.perSecond() + b.perSecond()) * 1000) / 1000.0);
    }
}
