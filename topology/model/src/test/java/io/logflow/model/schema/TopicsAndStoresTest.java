package io.logflow.model.schema;

import static io.logflow.model.TestObjects.CHECKOUT;
import static io.logflow.model.TestObjects.LOG;
import static io.logflow.model.TestObjects.T0;
import static io.logflow.model.TestObjects.TRACE_ID;
import static io.logflow.model.TestObjects.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.model.Level;
import io.logflow.model.LogCounts;
import io.logflow.model.SpanMetrics;
import io.logflow.model.TestObjects;
import io.logflow.model.TopErrors;
import io.logflow.model.TraceState;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class TopicsAndStoresTest {
    private final List<Object> checked = new ArrayList<>();

    @Test
    void topicNames_areUniqueAndUnchanged() {
        assertThat(Topics.ALL)
                .extracting(Topic::name)
                .doesNotHaveDuplicates()
                .containsExactly(
                        "logs",
                        "logflow.logs",
                        "logflow.dlq",
                        "otlp_spans",
                        "otlp_logs",
                        "logflow.spans",
                        "logflow.alert-rules",
                        "logflow.alerts",
                        "logflow.alert-resets");
        assertThat(constants(Topics.class, Topic.class)).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }

    /** Store names name RocksDB directories and changelog topics: renaming one loses its state. */
    @Test
    void storeNames_areUniqueAndUnchanged() {
        assertThat(Stores.ALL)
                .extracting(StoreSpec::name)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrder(
                        "service-stats-1m",
                        "service-errors-1m",
                        "services",
                        "recent-logs",
                        "recent-logs-cursor",
                        "trace-logs",
                        "trace-log-counts",
                        "trace-spans",
                        "trace-states",
                        "trace-index",
                        "span-metrics-1m",
                        "service-edges-1m",
                        "alert-rules",
                        "alert-resets",
                        "alert-log-windows",
                        "alert-log-status",
                        "alert-span-windows",
                        "alert-span-status");
        assertThat(constants(Stores.class, StoreSpec.class)).containsExactlyInAnyOrderElementsOf(Stores.ALL);
    }

    @Test
    void everyTopicsSerdes_roundTripAFixture() {
        byte[] raw = utf8("{\"message\":\"hi\"}");
        check(Topics.LOGS, utf8("orders"), raw);
        check(Topics.LOGS_NORMALIZED, "orders", LOG);
        check(Topics.DLQ, null, raw);
        check(Topics.OTLP_SPANS, null, raw);
        check(Topics.OTLP_LOGS, null, raw);
        check(Topics.SPANS_NORMALIZED, TRACE_ID, CHECKOUT.get(0));
        check(Topics.ALERT_RULES, "rule-1", utf8("{\"id\":\"rule-1\"}"));
        check(Topics.ALERTS, "rule-1|orders", utf8("{\"state\":\"FIRING\"}"));
        check(Topics.ALERT_RESETS, "alert-1", utf8("{\"state\":\"RESOLVED\"}"));
        assertThat(checked).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }

    @Test
    void everyStoresSerdes_roundTripAFixture() {
        LogCounts counts = new LogCounts().add(Level.INFO, T0).add(Level.ERROR, T0 + 1);
        SpanMetrics metrics = SpanMetrics.empty().add(12_000_000, false).add(340_000_000, true);
        TraceState state = TestObjects.traceState(CHECKOUT);
        byte[] json = utf8("{\"id\":\"rule-1\"}");
        check(Stores.SERVICE_STATS, "orders", counts);
        check(Stores.SERVICE_ERRORS, "orders", new TopErrors().add("timeout after 30s", TRACE_ID, T0));
        check(Stores.SERVICES, "orders", counts);
        check(Stores.RECENT_LOGS, "orders|ERROR|0", LOG);
        check(Stores.RECENT_LOGS_CURSOR, "orders|ERROR", 42L);
        check(Stores.TRACE_LOGS, TRACE_ID, LOG);
        check(Stores.TRACE_LOG_COUNTS, TRACE_ID, 3L);
        check(Stores.TRACE_SPANS, TRACE_ID, CHECKOUT.get(1));
        check(Stores.TRACE_STATES, TRACE_ID, state);
        check(
                Stores.TRACE_INDEX,
                Stores.traceIndexKey("frontend", TRACE_ID),
                state.summary().withoutDetail());
        check(Stores.SPAN_METRICS, Stores.spanMetricsKey("orders", "POST /orders"), metrics);
        check(Stores.SERVICE_EDGES, Stores.edgeKey("frontend", "orders"), metrics);
        check(Stores.ALERT_RULES, "rule-1", json);
        check(Stores.ALERT_RESETS, "alert-1", json);
        check(Stores.ALERT_LOG_WINDOWS, "rule-1|orders", json);
        check(Stores.ALERT_LOG_STATUS, "rule-1|orders", json);
        check(Stores.ALERT_SPAN_WINDOWS, "rule-1|orders", json);
        check(Stores.ALERT_SPAN_STATUS, "rule-1|orders", json);
        assertThat(checked).containsExactlyInAnyOrderElementsOf(Stores.ALL);
    }

    @Test
    void storeKinds_areWhatTheTopologyBuilds() {
        assertThat(Stores.ALL)
                .filteredOn(s -> s.kind() == StoreSpec.Kind.WINDOW_WITH_DUPLICATES)
                .containsExactlyInAnyOrder(Stores.TRACE_LOGS, Stores.TRACE_SPANS);
        assertThat(Stores.ALL)
                .filteredOn(s -> s.kind() == StoreSpec.Kind.GLOBAL_KEY_VALUE)
                .containsExactlyInAnyOrder(Stores.ALERT_RULES, Stores.ALERT_RESETS);
        assertThat(Stores.ALL)
                .filteredOn(s -> s.kind() == StoreSpec.Kind.KEY_VALUE)
                .containsExactlyInAnyOrder(
                        Stores.SERVICES,
                        Stores.RECENT_LOGS,
                        Stores.RECENT_LOGS_CURSOR,
                        Stores.ALERT_LOG_WINDOWS,
                        Stores.ALERT_LOG_STATUS,
                        Stores.ALERT_SPAN_WINDOWS,
                        Stores.ALERT_SPAN_STATUS);
    }

    @Test
    void specs_requireNameKindAndSerdes_andCopyConfigs() {
        Serde<String> s = Serdes.String();
        assertThatThrownBy(() -> new StoreSpec<>(null, StoreSpec.Kind.WINDOW, s, s))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("name");
        assertThatThrownBy(() -> new StoreSpec<>("x", null, s, s))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("kind");
        assertThatThrownBy(() -> new Topic<>("x", null, s, false, Map.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("keySerde");
        Map<String, String> configs = new java.util.HashMap<>(Map.of("retention.ms", "1000"));
        Topic<String, String> t = new Topic<>("x", s, s, false, configs);
        configs.put("retention.ms", "1");
        assertThat(t.configs()).containsExactly(Map.entry("retention.ms", "1000"));
        assertThat(Topics.ALERT_RESETS.configs()).containsEntry("cleanup.policy", "compact,delete");
        assertThat(Topics.ALERT_RULES.compacted()).isTrue();
        assertThat(Topics.LOGS.compacted()).isFalse();
    }

    /** Writes and reads back the key and value with the topic's own serdes. */
    private <K, V> void check(Topic<K, V> topic, K key, V value) {
        assertThat(roundTrip(topic.keySerde(), topic.name(), key))
                .as(topic.name() + " key")
                .isEqualTo(key);
        assertThat(roundTrip(topic.valueSerde(), topic.name(), value))
                .as(topic.name() + " value")
                .isEqualTo(value);
        checked.add(topic);
    }

    /** Writes and reads back the key and value with the store's own serdes. */
    private <K, V> void check(StoreSpec<K, V> store, K key, V value) {
        assertThat(roundTrip(store.keySerde(), store.name(), key))
                .as(store.name() + " key")
                .isEqualTo(key);
        assertThat(roundTrip(store.valueSerde(), store.name(), value))
                .as(store.name() + " value")
                .isEqualTo(value);
        checked.add(store);
    }

    private static <T> T roundTrip(Serde<T> serde, String topic, T value) {
        return serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, value));
    }

    /** The public constants of {@code holder} of type {@code type}. */
    private static List<Object> constants(Class<?> holder, Class<?> type) {
        return Arrays.stream(holder.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && type.isAssignableFrom(f.getType()))
                .map(TopicsAndStoresTest::value)
                .toList();
    }

    private static Object value(Field f) {
        try {
            return f.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
