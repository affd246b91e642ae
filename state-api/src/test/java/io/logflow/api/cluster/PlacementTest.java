package io.logflow.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.api.web.ApiException;
import io.logflow.api.web.Staleness;
import io.logflow.model.schema.Stores;
import io.logflow.model.schema.Topics;
import io.logflow.topology.LogFlowTopology;
import io.logflow.topology.TopologyOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.internals.StreamsMetadataImpl;
import org.junit.jupiter.api.Test;

class PlacementTest {
    static final HostInfo A = new HostInfo("10.0.0.1", 8080);
    static final HostInfo B = new HostInfo("10.0.0.2", 8080);
    static final HostInfo C = new HostInfo("10.0.0.3", 8080);
    static final Duration RETRY = Duration.ofSeconds(5);

    static StreamsMetadata member(HostInfo host, Set<Integer> active, Set<Integer> standby) {
        return new StreamsMetadataImpl(
                host,
                active.isEmpty() ? Set.of() : Set.of("stats"),
                partitions("logs", active),
                standby.isEmpty() ? Set.of() : Set.of("stats"),
                partitions("logs", standby));
    }

    static Set<TopicPartition> partitions(String topic, Set<Integer> ps) {
        java.util.HashSet<TopicPartition> out = new java.util.HashSet<>();
        for (int p : ps) {
            out.add(new TopicPartition(topic, p));
            out.add(new TopicPartition("other-topic", p)); // another sub-topology's input: not this store's
        }
        return out;
    }

    @Test
    void replicas_listTheActiveFirstThenTheStandbys() {
        var replicas = Placement.replicas(
                List.of(member(B, Set.of(1, 3), Set.of(0, 2)), member(A, Set.of(0, 2), Set.of(1, 3))),
                "stats",
                Set.of("logs"));
        assertThat(replicas).isEqualTo(Map.of(0, List.of(A, B), 1, List.of(B, A), 2, List.of(A, B), 3, List.of(B, A)));
    }

    @Test
    void replicas_ofAnotherStoreAreNotCounted() {
        assertThat(Placement.replicas(List.of(member(A, Set.of(0), Set.of())), "traces", Set.of("logs")))
                .isEmpty();
    }

    @Test
    void plan_asksEachPartitionOfItsActiveOwner() {
        var replicas = Map.of(0, List.of(A, B), 1, List.of(B, A));
        assertThat(Placement.plan(replicas, Set.of(0, 1), Set.of(), h -> false, "stats", RETRY))
                .isEqualTo(Map.of(A, Set.of(0), B, Set.of(1)));
    }

    @Test
    void plan_movesASuspectedOwnersPartitionsToTheirStandbys() {
        var replicas = Map.of(0, List.of(A, B), 1, List.of(B, A), 2, List.of(B, C));
        assertThat(Placement.plan(replicas, Set.of(0, 1, 2), Set.of(), B::equals, "stats", RETRY))
                .isEqualTo(Map.of(A, Set.of(0, 1), C, Set.of(2)));
    }

    @Test
    void plan_asksASuspectWhenNoOtherReplicaIsLeft() {
        var replicas = Map.of(0, List.of(B));
        assertThat(Placement.plan(replicas, Set.of(0), Set.of(), B::equals, "stats", RETRY))
                .isEqualTo(Map.of(B, Set.of(0)));
    }

    @Test
    void plan_neverAsksAgainAnInstanceThatFailedThisQuery() {
        var replicas = Map.of(0, List.of(A, B), 1, List.of(B));
        assertThat(Placement.plan(replicas, Set.of(0), Set.of(A), h -> false, "stats", RETRY))
                .isEqualTo(Map.of(B, Set.of(0)));
        assertThatThrownBy(() -> Placement.plan(replicas, Set.of(1), Set.of(B), h -> false, "stats", RETRY))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("partition 1 of store stats has no replica left to ask (tried [10.0.0.2:8080])");
    }

    @Test
    void plan_ofAPartitionNobodyHolds_is503() {
        assertThatThrownBy(() -> Placement.plan(Map.of(), Set.of(4), Set.of(), h -> false, "stats", RETRY))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status.value()).isEqualTo(503));
    }

    @Test
    void staleHeader_roundTrips() {
        Staleness s = new Staleness();
        s.add(new Staleness.Entry("logflow-service-stats", 3, "x", 120));
        s.add(new Staleness.Entry("logflow-services", 0, "x", 0));
        s.add(new Staleness.Entry("logflow-services", 0, "x", 7)); // the same partition read twice: once
        String header = InternalHandler.staleHeader(s);
        assertThat(header).isEqualTo("logflow-service-stats/3=120,logflow-services/0=0");
        assertThat(InternalHandler.staleFrom(header, "10.0.0.2:8080").entries())
                .containsExactly(
                        new Staleness.Entry("logflow-service-stats", 3, "10.0.0.2:8080", 120),
                        new Staleness.Entry("logflow-services", 0, "10.0.0.2:8080", 0));
        assertThat(InternalHandler.staleFrom("garbage,x/y=z", "h").entries()).isEmpty();
        assertThat(InternalHandler.staleFrom(null, "h")).isNull();
    }

    @Test
    void partitionsParameter_isParsedOrA400() {
        assertThat(ReadScope.parse("3,0,5")).containsExactly(0, 3, 5);
        assertThat(ReadScope.parse(null)).isNull();
        assertThatThrownBy(() -> ReadScope.parse("1,-2")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> ReadScope.parse("a")).isInstanceOf(ApiException.class);
    }

    @Test
    void anyLeft_onlyWhileEveryPartitionHasAReplicaNotTried() {
        var replicas = Map.of(0, List.of(A, B), 1, List.of(B));
        assertThat(Placement.anyLeft(replicas, Set.of(0), Set.of(A))).isTrue();
        assertThat(Placement.anyLeft(replicas, Set.of(0, 1), Set.of(B))).isFalse();
        assertThat(Placement.anyLeft(replicas, Set.of(2), Set.of()))
                .as("a partition nobody holds")
                .isFalse();
    }

    @Test
    void unavailable_isA503OrAStoreClosedUnderTheRead() {
        assertThat(Cluster.unavailable(ApiException.unavailable("gone", RETRY))).isTrue();
        assertThat(Cluster.unavailable(
                        new RuntimeException(new org.apache.kafka.streams.errors.InvalidStateStoreException("closed"))))
                .isTrue();
        assertThat(Cluster.unavailable(ApiException.notFound("unknown service")))
                .isFalse();
        assertThat(Cluster.unavailable(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void everyQueriedStore_isMappedToTheTopicsFeedingItsSubTopology() {
        Map<String, Set<String>> sources =
                Placement.sourcesByStore(LogFlowTopology.build(TopologyOptions.defaults()), "app");
        for (String store : new String[] {
            Stores.SERVICES.name(),
            Stores.SERVICE_STATS.name(),
            Stores.SERVICE_ERRORS.name(),
            Stores.RECENT_LOGS.name(),
            Stores.RECENT_LOGS_CURSOR.name(),
            Stores.TRACE_LOGS.name(),
            Stores.TRACE_LOG_COUNTS.name()
        }) {
            assertThat(sources.get(store)).as(store).contains(Topics.LOGS_NORMALIZED.name());
        }
        // the trace logs live next to the other log stores (ADR 012): their partition p is logflow.logs' partition p
        assertThat(sources.get(Stores.TRACE_LOGS.name())).noneMatch(t -> t.endsWith("-repartition"));
        // the span alert stores sit behind a repartition topic, named <application.id>-<name> in partition metadata
        assertThat(sources.get(Stores.ALERT_SPAN_WINDOWS.name()))
                .doesNotContain(Topics.SPANS_NORMALIZED.name())
                .anyMatch(t -> t.startsWith("app-") && t.endsWith("-repartition"));
    }
}
