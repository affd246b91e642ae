package io.logflow.api.cluster;

import io.logflow.api.web.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where the replicas of a store's partitions are, and which instance to ask for each partition. A partition is
 * asked of its active owner while that answers; of a standby (or a restoring replica) when the owner is suspected
 * dead or failed to answer this very query (KIP-535). A store's partition p is partition p of the topics feeding its
 * sub-topology ({@link #sourcesByStore}). Pure functions of the topology and the cluster metadata, unit-tested.
 */
public final class Placement {
    private Placement() {}

    /**
     * A key's partition and the instances holding it.
     *
     * @param hosts the active owner first (when there is one), then the standbys
     */
    public record Key(int partition, List<HostInfo> hosts) {}

    /**
     * Per partition of {@code store}, the instances holding it: the active first, then the standbys, each list in a
     * stable order. A partition of a store is the partition of the topics feeding its sub-topology ({@code sources}).
     */
    static Map<Integer, List<HostInfo>> replicas(Collection<StreamsMetadata> all, String store, Set<String> sources) {
        Map<Integer, List<HostInfo>> active = new TreeMap<>();
        Map<Integer, List<HostInfo>> standby = new TreeMap<>();
        List<StreamsMetadata> sorted = new ArrayList<>(all);
        sorted.sort((a, b) -> (a.hostInfo().host() + ":" + a.hostInfo().port())
                .compareTo(b.hostInfo().host() + ":" + b.hostInfo().port()));
        for (StreamsMetadata m : sorted) {
            HostInfo host = m.hostInfo();
            if (host == null || host.port() < 0) continue;
            if (m.stateStoreNames().contains(store)) add(active, m.topicPartitions(), sources, host);
            if (m.standbyStateStoreNames().contains(store)) add(standby, m.standbyTopicPartitions(), sources, host);
        }
        Map<Integer, List<HostInfo>> out = new TreeMap<>();
        active.forEach(
                (p, hosts) -> out.computeIfAbsent(p, k -> new ArrayList<>()).addAll(hosts));
        standby.forEach((p, hosts) -> {
            List<HostInfo> list = out.computeIfAbsent(p, k -> new ArrayList<>());
            for (HostInfo h : hosts) if (!list.contains(h)) list.add(h);
        });
        Map<Integer, List<HostInfo>> frozen = new LinkedHashMap<>();
        out.forEach((p, hosts) -> frozen.put(p, List.copyOf(hosts)));
        return Map.copyOf(frozen);
    }

    private static void add(
            Map<Integer, List<HostInfo>> into, Set<TopicPartition> partitions, Set<String> sources, HostInfo host) {
        for (TopicPartition tp : partitions) {
            if (!sources.contains(tp.topic())) continue;
            List<HostInfo> hosts = into.computeIfAbsent(tp.partition(), k -> new ArrayList<>());
            if (!hosts.contains(host)) hosts.add(host);
        }
    }

    /**
     * Which instance to ask for each of {@code partitions}: the first of its replicas not already {@code tried} for
     * this query and not {@code suspected} dead; a suspected one only when nothing else is left. 503 when a partition
     * has no replica left to ask.
     *
     * @return per instance, the partitions to read there
     */
    static Map<HostInfo, Set<Integer>> plan(
            Map<Integer, List<HostInfo>> replicas,
            Set<Integer> partitions,
            Set<HostInfo> tried,
            Predicate<HostInfo> suspected,
            String store,
            Duration retryAfter) {
        Map<HostInfo, Set<Integer>> plan = new LinkedHashMap<>();
        for (int p : new TreeSet<>(partitions)) {
            HostInfo chosen = null;
            HostInfo fallback = null;
            for (HostInfo h : replicas.getOrDefault(p, List.of())) {
                if (tried.contains(h)) continue;
                if (!suspected.test(h)) {
                    chosen = h;
                    break;
                }
                if (fallback == null) fallback = h;
            }
            if (chosen == null) chosen = fallback;
            if (chosen == null)
                throw ApiException.unavailable(
                        "partition " + p + " of store " + store + " has no replica left to ask"
                                + (tried.isEmpty() ? " (rebalancing)" : " (tried " + names(tried) + ")"),
                        retryAfter);
            plan.computeIfAbsent(chosen, k -> new TreeSet<>()).add(p);
        }
        return plan;
    }

    /** Whether every one of {@code partitions} has a replica not yet {@code tried}. */
    static boolean anyLeft(Map<Integer, List<HostInfo>> replicas, Set<Integer> partitions, Set<HostInfo> tried) {
        for (int p : partitions) {
            if (replicas.getOrDefault(p, List.of()).stream().allMatch(tried::contains)) return false;
        }
        return true;
    }

    static String name(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    private static List<String> names(Collection<HostInfo> hosts) {
        return hosts.stream().map(Placement::name).sorted().toList();
    }

    /** Store name → source topics of its sub-topology (internal topics with their application-id prefix). */
    static Map<String, Set<String>> sourcesByStore(Topology topology, String applicationId) {
        Map<String, Set<String>> out = new HashMap<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            Set<String> topics = new HashSet<>();
            Set<String> stores = new HashSet<>();
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source src && src.topicSet() != null) {
                    for (String t : src.topicSet()) {
                        topics.add(t);
                        topics.add(applicationId + "-" + t); // repartition topics are named <application.id>-<name>
                    }
                }
                if (node instanceof TopologyDescription.Processor proc) stores.addAll(proc.stores());
            }
            for (String store : stores) out.put(store, Set.copyOf(topics));
        }
        return Map.copyOf(out);
    }
}
