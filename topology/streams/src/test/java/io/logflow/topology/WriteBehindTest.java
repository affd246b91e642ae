package io.logflow.topology;

import static io.logflow.topology.TestObjects.T0;
import static io.logflow.topology.TestObjects.log;
import static io.logflow.topology.TestObjects.pipe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.model.Level;
import io.logflow.model.LogCounts;
import io.logflow.model.LogRecord;
import io.logflow.model.schema.LogFlowSerdes;
import io.logflow.model.schema.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindTest {
    @TempDir
    Path stateDir;

    private static final org.apache.kafka.common.serialization.Serde<AtomicLong> ATOMIC_LONGS = Serdes.serdeFrom(
            (topic, v) -> Serdes.Long().serializer().serialize(topic, v == null ? null : v.get()),
            (topic, b) -> b == null
                    ? null
                    : new AtomicLong(Serdes.Long().deserializer().deserialize(topic, b)));

    private final List<String> flushed = new ArrayList<>();

    private WindowStore<String, AtomicLong> window(int maxObjects) {
        WindowStore<String, AtomicLong> store = WriteBehind.window(
                        org.apache.kafka.streams.state.Stores.windowStoreBuilder(
                                        org.apache.kafka.streams.state.Stores.inMemoryWindowStore(
                                                "w", Duration.ofHours(1), Duration.ofMinutes(1), false),
                                        Serdes.String(),
                                        ATOMIC_LONGS)
                                .withLoggingDisabled(),
                        maxObjects,
                        (partition, key, windowStart) -> flushed.add(partition + "/" + key + "@" + windowStart))
                .build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    /** What another thread (an interactive query) reads. */
    private static <T> T elsewhere(Supplier<T> read) {
        return CompletableFuture.supplyAsync(read).join();
    }

    private static void commit(Object store) {
        ((CachedStateStore<?, ?>) store).flushCache();
    }

    @Test
    void puts_areObjectsToTheWriter_andReachTheStoreUnderneathOncePerKeyAtTheCommit() {
        WindowStore<String, AtomicLong> store = window(16);
        AtomicLong count = new AtomicLong();
        for (int i = 0; i < 3; i++) {
            count.incrementAndGet();
            store.put("orders", count, 0L);
        }
        assertThat(store.fetch("orders", 0L)).isSameAs(count);
        assertThat(elsewhere(() -> store.fetch("orders", 0L)))
                .as("not written underneath before the commit")
                .isNull();
        assertThat(flushed).isEmpty();

        commit(store);
        assertThat(elsewhere(() -> store.fetch("orders", 0L))).hasValue(3);
        assertThat(flushed).containsExactly("0/orders@0");

        commit(store);
        assertThat(flushed).as("nothing changed since").hasSize(1);
    }

    @Test
    void aValueForgottenByTheWriterBeforeTheCommit_isStillTheOneItReads() {
        WindowStore<String, AtomicLong> store = window(1);
        store.put("a", new AtomicLong(1), 0L);
        store.put("b", new AtomicLong(2), 0L); // "a" is no longer remembered, and not yet underneath
        assertThat(store.fetch("a", 0L)).hasValue(1);
        commit(store);
        assertThat(elsewhere(() -> store.fetch("a", 0L))).hasValue(1);
        assertThat(elsewhere(() -> store.fetch("b", 0L))).hasValue(2);
    }

    @Test
    void aNullPutDeletes_andAReadMissIsRemembered() {
        WindowStore<String, AtomicLong> store = window(16);
        store.put("a", new AtomicLong(1), 0L);
        commit(store);
        store.put("a", null, 0L);
        assertThat(store.fetch("a", 0L)).isNull();
        commit(store);
        assertThat(elsewhere(() -> store.fetch("a", 0L))).isNull();
        assertThat(store.fetch("missing", 0L)).isNull();
    }

    @Test
    void onlyTheThreadThatWroteFirstWrites_andReadsTheObjects() {
        WindowStore<String, AtomicLong> store = window(16);
        AtomicLong mine = elsewhere(() -> {
            AtomicLong v = new AtomicLong(1);
            store.put("a", v, 0L); // the first writer owns the store, whichever thread opened it
            return store.fetch("a", 0L);
        });
        assertThat(mine).hasValue(1);
        assertThat(store.fetch("a", 0L))
                .as("another thread reads underneath: not yet written")
                .isNull();
        assertThatThrownBy(() -> store.put("a", new AtomicLong(2), 0L)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reopeningForgetsWhatWasNotCommitted() {
        WindowStore<String, AtomicLong> store = window(16);
        store.put("a", new AtomicLong(1), 0L);
        ((WriteBehind.WindowLayer<AtomicLong>) store).clearCache();
        assertThat(store.fetch("a", 0L)).isNull();
        commit(store);
        assertThat(flushed).isEmpty();
    }

    @Test
    void keyValue_putsGetsAndDeletes_writtenAtTheCommit() {
        KeyValueStore<String, Long> store = WriteBehind.keyValue(
                        org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                                        org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore("kv"),
                                        Serdes.String(),
                                        Serdes.Long())
                                .withLoggingDisabled(),
                        16)
                .build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        store.put("a", 1L);
        assertThat(store.putIfAbsent("a", 2L)).isEqualTo(1L);
        store.put("b", 3L);
        assertThat(store.delete("b")).isEqualTo(3L);
        assertThat(elsewhere(() -> store.get("a"))).isNull();
        commit(store);
        assertThat(elsewhere(() -> store.get("a"))).isEqualTo(1L);
        assertThat(elsewhere(() -> store.get("b"))).isNull();
        assertThat(store.get("b")).isNull();
    }

    /**
     * The hook itself: Kafka Streams flushes the layer before committing a task, so the changelog of
     * a written-behind store holds each commit's values (TopologyTestDriver commits after each record).
     */
    @Test
    void kafkaStreamsWritesTheChangelogAtEachCommit() {
        try (TopologyTestDriver driver = TestObjects.driver(
                TestObjects.topology(ServiceStatsTopology::addTo, TopologyOptions.defaults()), stateDir)) {
            TestInputTopic<String, LogRecord> logs = TestObjects.normalizedLogs(driver);
            TestOutputTopic<String, LogCounts> changelog = driver.createOutputTopic(
                    "logflow-test-" + Stores.SERVICES.name() + "-changelog",
                    Serdes.String().deserializer(),
                    LogFlowSerdes.logCounts().deserializer());
            pipe(logs, log("orders", Level.INFO, "a", T0 + 1_000), log("orders", Level.ERROR, "b", T0 + 2_000));
            List<LogCounts> values = changelog.readValuesToList();
            assertThat(values).hasSize(2);
            assertThat(values.get(1).total()).isEqualTo(2);
        }
    }
}
