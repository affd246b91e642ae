package io.logflow.topology;

import static io.logflow.topology.TestObjects.T0;
import static io.logflow.topology.TestObjects.TRACE_A;
import static io.logflow.topology.TestObjects.list;
import static io.logflow.topology.TestObjects.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.model.Level;
import io.logflow.model.LogCounts;
import io.logflow.model.LogRecord;
import io.logflow.model.RecentLogKey;
import io.logflow.model.TopErrors;
import io.logflow.model.schema.LogFlowSerdes;
import io.logflow.model.schema.Stores;
import io.logflow.model.schema.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.TopologyException;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFlowTopologyTest {
    @TempDir
    Path stateDir;

    @Test
    void rawLogs_flowThroughEverySubTopology_intoEveryStore() {
        List<String> dead = new ArrayList<>();
        Topology topology = LogFlowTopology.build(TopologyOptions.defaults().withDeadLetters(dead::add));
        try (TopologyTestDriver driver = TestObjects.driver(topology, stateDir)) {
            TestInputTopic<byte[], byte[]> logs = driver.createInputTopic(
                    Topics.LOGS.name(),
                    Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<String, LogRecord> normalized = driver.createOutputTopic(
                    Topics.LOGS_NORMALIZED.name(),
                    Serdes.String().deserializer(),
                    LogFlowSerdes.ecsJson().deserializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(
                    Topics.DLQ.name(),
                    Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());

            logs.pipeInput(
                    null,
                    utf8("{\"@timestamp\":\"2026-01-01T00:00:01Z\",\"service\":\"gateway\",\"level\":\"info\",\"me"
                            + "ssage\":\"in\",\"trace_id\":\""
                            + TRACE_A + "\"}"),
                    T0 + 5_000);
            logs.pipeInput(
                    null,
                    utf8("{\"@timestamp\":\"2026-01-01T00:00:02Z\",\"service\":\"orders\",\"level\":\"error\",\"me"
                            + "ssage\":\"timeout after 30s for order 1\",\"trace_id\":\""
                            + TRACE_A.toUpperCase() + "\"}"),
                    T0 + 5_000);
            logs.pipeInput(
                    null,
                    utf8("{\"@timestamp\":\"2026-01-01T00:00:03Z\",\"service\":\"orders\",\"level\":\"error\",\"me"
                            + "ssage\":\"timeout after 31s for order 2\"}"),
                    T0 + 5_000);
            logs.pipeInput(null, utf8("garbage"), T0 + 5_000);

            assertThat(normalized.readKeyValuesToList())
                    .extracting(kv -> kv.key)
                    .containsExactly("gateway", "orders", "orders");
            assertThat(dlq.readRecordsToList()).hasSize(1);
            assertThat(dead).containsExactly("invalid_json");

            WindowStore<String, LogCounts> stats = driver.getWindowStore(Stores.SERVICE_STATS.name());
            assertThat(stats.fetch("orders", T0).errors()).isEqualTo(2);
            assertThat(stats.fetch("gateway", T0).count(Level.INFO)).isEqualTo(1);
            WindowStore<String, TopErrors> errors = driver.getWindowStore(Stores.SERVICE_ERRORS.name());
            assertThat(errors.fetch("orders", T0).top(10))
                    .extracting(TopErrors.Entry::template, TopErrors.Entry::count)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("timeout after <n>s for order <n>", 2L));
            KeyValueStore<String, LogCounts> services = driver.getKeyValueStore(Stores.SERVICES.name());
            assertThat(list(services.all())).extracting(kv -> kv.key).containsExactly("gateway", "orders");
            KeyValueStore<String, LogRecord> recent = driver.getKeyValueStore(Stores.RECENT_LOGS.name());
            assertThat(recent.get(new RecentLogKey("orders", Level.ERROR, 1).encode())
                            .message())
                    .isEqualTo("timeout after 31s for order 2");
            WindowStore<String, LogRecord> traces = driver.getWindowStore(Stores.TRACE_LOGS.name());
            assertThat(list(traces.fetch(TRACE_A, Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 60_000))))
                    .extracting(kv -> kv.value.service())
                    .containsExactly("gateway", "orders");
            assertThat(normalized.isEmpty()).isTrue();
            assertThat(dlq.isEmpty()).isTrue();
        }
    }

    @Test
    void everyStoreOfTheSpec_isInTheTopology_andChangelogged() {
        Topology topology = LogFlowTopology.build(TopologyOptions.defaults());
        List<String> stores = new ArrayList<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor p) stores.addAll(p.stores());
            }
        }
        assertThat(new java.util.TreeSet<>(stores))
                .containsExactlyInAnyOrder(
                        Stores.SERVICE_STATS.name(),
                        Stores.SERVICE_ERRORS.name(),
                        Stores.SERVICES.name(),
                        Stores.RECENT_LOGS.name(),
                        Stores.RECENT_LOGS_CURSOR.name(),
                        Stores.TRACE_LOGS.name(),
                        Stores.TRACE_LOG_COUNTS.name(),
                        Stores.TRACE_SPANS.name(),
                        Stores.TRACE_STATES.name(),
                        Stores.TRACE_INDEX.name(),
                        Stores.SPAN_METRICS.name(),
                        Stores.SERVICE_EDGES.name(),
                        Stores.ALERT_LOG_WINDOWS.name(),
                        Stores.ALERT_LOG_STATUS.name(),
                        Stores.ALERT_SPAN_WINDOWS.name(),
                        Stores.ALERT_SPAN_STATUS.name());
        // the rules and the manual resolves are global stores: every instance holds all of them, read from their
        // compacted topics (no changelog)
        assertThat(topology.describe().globalStores())
                .extracting(g -> g.source().topicSet())
                .containsExactlyInAnyOrder(Set.of(Topics.ALERT_RULES.name()), Set.of(Topics.ALERT_RESETS.name()));
        try (TopologyTestDriver driver = TestObjects.driver(topology, stateDir)) {
            // a log rule and a span rule that everything breaches, so the alert stores are written too
            var rules = driver.createInputTopic(
                    Topics.ALERT_RULES.name(),
                    Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            for (var rule : List.of(
                    AlertTopologyTest.rule(
                            "00000000-0000-4000-8000-000000000001",
                            1,
                            "{\"name\":\"any log\",\"condition\":\"greater_than\",\"threshold\":0}"),
                    AlertTopologyTest.rule(
                            "00000000-0000-4000-8000-000000000002",
                            1,
                            "{\"name\":\"any "
                                    + "span\",\"metric\":\"latency_p99\",\"condition\":\"greater_than\",\"threshold\""
                                    + ":0}"))) {
                rules.pipeInput(rule.id(), io.logflow.alerts.RuleJson.write(rule), T0);
            }
            driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
            driver.createInputTopic(
                            Topics.LOGS.name(),
                            Serdes.ByteArray().serializer(),
                            Serdes.ByteArray().serializer())
                    .pipeInput(
                            null, utf8("{\"level\":\"error\",\"message\":\"m\",\"trace_id\":\"" + TRACE_A + "\"}"), T0);
            var spans = driver.createInputTopic(
                    Topics.SPANS_NORMALIZED.name(),
                    Serdes.String().serializer(),
                    io.logflow.model.schema.LogFlowSerdes.spanJson().serializer());
            spans.pipeInput(
                    TRACE_A,
                    TraceTopologyTest.span(
                            TRACE_A,
                            "a000000000000001",
                            null,
                            "gateway",
                            "GET /",
                            io.logflow.model.SpanRecord.Kind.CLIENT,
                            T0,
                            5,
                            false),
                    T0);
            spans.pipeInput(
                    TRACE_A,
                    TraceTopologyTest.span(
                            TRACE_A,
                            "a000000000000002",
                            "a000000000000001",
                            "orders",
                            "GET /",
                            io.logflow.model.SpanRecord.Kind.SERVER,
                            T0,
                            4,
                            false),
                    T0);
            driver.advanceWallClockTime(java.time.Duration.ofSeconds(1)); // commit: caches flush to the changelogs
            assertThat(driver.producedTopicNames())
                    .contains(Topics.ALERTS.name(), "logflow-test-alert-spans-by-service-repartition");
            for (String store : stores) {
                assertThat(driver.producedTopicNames()).contains("logflow-test-" + store + "-changelog");
            }
            assertThat(driver.producedTopicNames())
                    .filteredOn(t -> t.endsWith("-repartition"))
                    .containsExactly("logflow-test-alert-spans-by-service-repartition");
        }
        // six sub-topologies: normalize; aggregates, trace logs and log alerts on logflow.logs; OTLP spans; OTLP logs;
        // traces on logflow.spans; span alerts by service
        assertThat(topology.describe().subtopologies()).hasSize(6);
    }

    @Test
    void subTopologyIds_logOnesFirst_noTraceLogsRepartition() {
        // task ids (state directories) follow the sub-topology ids, which follow the order sources are
        // added: the OTLP and trace sub-topologies come after the log ones, so adding them did not
        // renumber those. Removing the trace-logs repartition (ADR 012) renumbered everything after it
        // once: 3 -> 2, 4 -> 3, 5 -> 4, the global store 6 -> 5, 7 -> 6.
        // One topic per sub-topology is also what lets StreamsSettings switch task idling off.
        Topology topology = LogFlowTopology.build(TopologyOptions.defaults());
        java.util.Map<Integer, java.util.Set<String>> sources = new java.util.TreeMap<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            java.util.Set<String> topics = new java.util.TreeSet<>();
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source src) topics.addAll(src.topicSet());
            }
            sources.put(sub.id(), topics);
        }
        assertThat(sources)
                .containsExactly(
                        java.util.Map.entry(0, java.util.Set.of(Topics.LOGS.name())),
                        java.util.Map.entry(1, java.util.Set.of(Topics.LOGS_NORMALIZED.name())),
                        java.util.Map.entry(2, java.util.Set.of(Topics.OTLP_SPANS.name())),
                        java.util.Map.entry(3, java.util.Set.of(Topics.OTLP_LOGS.name())),
                        java.util.Map.entry(4, java.util.Set.of(Topics.SPANS_NORMALIZED.name())),
                        // 5 is the global rule store's, 7 the global store of manual resolves (added last, so 6 stayed)
                        java.util.Map.entry(6, java.util.Set.of("alert-spans-by-service-repartition")));
    }

    @Test
    void otlpLogs_reachEveryLogStore_likeJsonLogs() {
        Topology topology = LogFlowTopology.build(TopologyOptions.defaults());
        try (TopologyTestDriver driver = TestObjects.driver(topology, stateDir)) {
            TestInputTopic<byte[], byte[]> otlpLogs = driver.createInputTopic(
                    Topics.OTLP_LOGS.name(),
                    Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer());
            io.opentelemetry.proto.logs.v1.LogRecord error = TestObjects.otlpLog(
                            "timeout after 30s",
                            io.opentelemetry.proto.logs.v1.SeverityNumber.SEVERITY_NUMBER_ERROR,
                            T0 + 1_000)
                    .toBuilder()
                    .setTraceId(TestObjects.otlpId(TRACE_A))
                    .build();
            otlpLogs.pipeInput(
                    null,
                    io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.newBuilder()
                            .addResourceLogs(TestObjects.otlpResourceLogs("otel-svc", "scope", error))
                            .build()
                            .toByteArray(),
                    T0 + 2_000);

            WindowStore<String, LogCounts> stats = driver.getWindowStore(Stores.SERVICE_STATS.name());
            assertThat(stats.fetch("otel-svc", T0).errors()).isEqualTo(1);
            KeyValueStore<String, LogRecord> recent = driver.getKeyValueStore(Stores.RECENT_LOGS.name());
            assertThat(recent.get(new RecentLogKey("otel-svc", Level.ERROR, 0).encode())
                            .message())
                    .isEqualTo("timeout after 30s");
            WindowStore<String, LogRecord> traces = driver.getWindowStore(Stores.TRACE_LOGS.name());
            assertThat(list(traces.fetch(TRACE_A, Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 60_000))))
                    .extracting(kv -> kv.value.service())
                    .containsExactly("otel-svc");
        }
    }

    @Test
    void everyInternalResourceIsNamedExplicitly() {
        StreamsBuilder strict =
                new StreamsBuilder(new TopologyConfig(new StreamsConfig(TestObjects.settings(stateDir))));
        Topology topology = LogFlowTopology.build(TopologyOptions.defaults(), strict);
        assertThat(topology.describe().toString()).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");

        // the check is live: an unnamed aggregation fails the same way of building
        StreamsBuilder unnamed =
                new StreamsBuilder(new TopologyConfig(new StreamsConfig(TestObjects.settings(stateDir))));
        unnamed.stream("x").groupByKey().count();
        assertThatThrownBy(unnamed::build).isInstanceOf(TopologyException.class);
    }
}
