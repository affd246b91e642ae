package io.logflow.api.cluster;

import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import io.logflow.model.schema.StoreSpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where the partitions of this instance's stores are, as the running Kafka Streams sees it: a key's owner and
 * partition, each partition's replicas (active first, then standbys), each instance's active partitions, every
 * instance of the application, and the stores of the topology with the topics feeding them (a store's partition p is
 * their partition p). Answered from the current client's metadata — 503 with Retry-After while it is not queryable or
 * nobody holds what is asked (rebalancing) — and kept per store for one state generation ({@link Freshness}). Which
 * replica to ask is {@link Placement}'s.
 */
@Component
public class StoreMetadata {
    // logged as before this class was split out of StreamsRuntime
    private static final Logger log = LoggerFactory.getLogger(StreamsRuntime.class);

    private final StreamsRuntime runtime;
    private final Freshness freshness;
    private final LogFlowProperties props;

    /** Per store, the partitions of each instance, valid for the state generation they were computed in. */
    private final Map<String, Assignment> assignments = new java.util.concurrent.ConcurrentHashMap<>();

    private record Assignment(long generation, Map<HostInfo, Set<Integer>> hosts) {}

    /** Per store, the replicas of each partition, valid for the state generation they were computed in. */
    private final Map<String, Replicas> replicas = new java.util.concurrent.ConcurrentHashMap<>();

    private record Replicas(long generation, Map<Integer, List<HostInfo>> byPartition) {}

    StoreMetadata(StreamsRuntime runtime, Freshness freshness, LogFlowProperties props) {
        this.runtime = runtime;
        this.freshness = freshness;
        this.props = props;
    }

    /** The instance owning {@code key} in {@code store}, with the key's partition. */
    public <K> KeyQueryMetadata ownerOf(StoreSpec<K, ?> store, K key) {
        KafkaStreams ks = runtime.requireRunning();
        KeyQueryMetadata m =
                ks.queryMetadataForKey(store.name(), key, store.keySerde().serializer());
        if (m == null
                || m == KeyQueryMetadata.NOT_AVAILABLE
                || m.activeHost() == null
                || m.activeHost().port() < 0) {
            throw ApiException.unavailable(
                    "no instance owns " + store + " key '" + key + "' right now (rebalancing)",
                    props.query().retryAfter());
        }
        return m;
    }

    /**
     * The partition of {@code key} in {@code store} and the instances holding it: the active owner first (when there
     * is one), then the standbys. 503 when nobody holds it.
     */
    public <K> Placement.Key keyReplicas(StoreSpec<K, ?> store, K key) {
        KafkaStreams ks = runtime.requireRunning();
        KeyQueryMetadata m =
                ks.queryMetadataForKey(store.name(), key, store.keySerde().serializer());
        List<HostInfo> hosts = new java.util.ArrayList<>();
        if (m != null && m != KeyQueryMetadata.NOT_AVAILABLE) {
            if (m.activeHost() != null && m.activeHost().port() >= 0) hosts.add(m.activeHost());
            for (HostInfo h : m.standbyHosts()) if (h.port() >= 0 && !hosts.contains(h)) hosts.add(h);
        }
        if (hosts.isEmpty())
            throw ApiException.unavailable(
                    "no instance holds " + store + " key '" + key + "' right now (rebalancing)",
                    props.query().retryAfter());
        return new Placement.Key(m.partition(), hosts);
    }

    /** The partition {@code key} of {@code store} is in (whoever holds it). */
    public <K> int partitionOf(StoreSpec<K, ?> store, K key) {
        KafkaStreams ks = runtime.requireRunning();
        KeyQueryMetadata m =
                ks.queryMetadataForKey(store.name(), key, store.keySerde().serializer());
        if (m == null || m == KeyQueryMetadata.NOT_AVAILABLE)
            throw ApiException.unavailable(
                    "the partition of " + store + " key '" + key + "' is not known right now (rebalancing)",
                    props.query().retryAfter());
        return m.partition();
    }

    /** Every partition of {@code store} with the instances holding it: active first, then standbys. */
    public Map<Integer, List<HostInfo>> replicasOf(StoreSpec<?, ?> spec) {
        String store = spec.name();
        KafkaStreams ks = runtime.requireRunning();
        long gen = freshness.generation();
        Replicas cached = replicas.get(store);
        if (cached != null && cached.generation == gen) return cached.byPartition;
        Set<String> sources = runtime.storeSources().get(store);
        if (sources == null) throw new IllegalArgumentException("unknown store " + store);
        Map<Integer, List<HostInfo>> computed = Placement.replicas(ks.metadataForAllStreamsClients(), store, sources);
        if (computed.isEmpty())
            throw ApiException.unavailable(
                    "no instance holds store " + store + " right now (rebalancing)",
                    props.query().retryAfter());
        replicas.put(store, new Replicas(gen, computed));
        return computed;
    }

    /** The partition of {@code key} in {@code store}, which this instance must own (else 503: the key moved). */
    public <K> int ownedPartition(StoreSpec<K, ?> store, K key) {
        KeyQueryMetadata m = ownerOf(store, key);
        if (!isSelf(m.activeHost())) {
            throw ApiException.unavailable(
                    store + " key '" + key + "' is owned by " + m.activeHost().host() + ":"
                            + m.activeHost().port() + ", not this instance (rebalancing)",
                    props.query().retryAfter());
        }
        return m.partition();
    }

    /** Every instance serving some partition of {@code store} (active), with those partitions. */
    public Map<HostInfo, Set<Integer>> hostsOf(StoreSpec<?, ?> spec) {
        String store = spec.name();
        KafkaStreams ks = runtime.requireRunning();
        long gen = freshness.generation();
        Assignment cached = assignments.get(store);
        if (cached != null && cached.generation == gen) return cached.hosts;
        Map<HostInfo, Set<Integer>> computed = computeHostsOf(ks, store);
        assignments.put(store, new Assignment(gen, computed)); // stale at once if the state changed meanwhile
        return computed;
    }

    private Map<HostInfo, Set<Integer>> computeHostsOf(KafkaStreams ks, String store) {
        Set<String> sources = runtime.storeSources().get(store);
        if (sources == null) throw new IllegalArgumentException("unknown store " + store);
        Map<HostInfo, Set<Integer>> out = new HashMap<>();
        for (StreamsMetadata m : ks.streamsMetadataForStore(store)) {
            Set<Integer> partitions = new TreeSet<>();
            for (TopicPartition tp : m.topicPartitions())
                if (sources.contains(tp.topic())) partitions.add(tp.partition());
            if (!partitions.isEmpty()) out.put(m.hostInfo(), Set.copyOf(partitions));
        }
        if (out.isEmpty())
            throw ApiException.unavailable(
                    "no instance serves store " + store + " right now (rebalancing)",
                    props.query().retryAfter());
        return Map.copyOf(out);
    }

    /** The partitions of {@code store} assigned to this instance. */
    public Set<Integer> localPartitions(StoreSpec<?, ?> store) {
        return hostsOf(store).getOrDefault(runtime.self(), Set.of());
    }

    /** This instance ({@code application.server}), null before Kafka Streams starts. */
    HostInfo self() {
        return runtime.self();
    }

    boolean isSelf(HostInfo host) {
        return host.equals(runtime.self());
    }

    /**
     * Every instance of the application as this one knows them (itself included, whatever its state), by {@code
     * host:port}.
     */
    public List<HostInfo> instances() {
        KafkaStreams ks = runtime.streams();
        Collection<StreamsMetadata> all = List.of();
        if (ks != null) {
            try {
                all = ks.metadataForAllStreamsClients();
            } catch (RuntimeException e) { // not started, or closed: only this instance is known
                log.debug("no metadata of the other instances: {}", e.toString());
            }
        }
        return instances(runtime.self(), all);
    }

    static List<HostInfo> instances(HostInfo self, Collection<StreamsMetadata> all) {
        Set<HostInfo> hosts =
                new TreeSet<>(java.util.Comparator.comparing(HostInfo::host).thenComparingInt(HostInfo::port));
        if (self != null) hosts.add(self);
        for (StreamsMetadata m : all) if (m.hostInfo() != null && m.hostInfo().port() >= 0) hosts.add(m.hostInfo());
        return List.copyOf(hosts);
    }

    /** The name of every state store of the topology. */
    public Set<String> storeNames() {
        return runtime.storeSources().keySet();
    }

    /** The (full) names of the topics feeding the sub-topology of {@code store}. */
    public Set<String> sourcesOf(String store) {
        return runtime.storeSources().getOrDefault(store, Set.of());
    }
}
