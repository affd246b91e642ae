package io.logflow.topology;

import static io.logflow.topology.TestObjects.T0;
import static io.logflow.topology.TestObjects.list;
import static io.logflow.topology.TestObjects.log;
import static io.logflow.topology.TestObjects.pipe;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.RecentLogKey;
import io.logflow.model.schema.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecentLogsTopologyTest {
    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, LogRecord> logs;
    private KeyValueStore<String, LogRecord> recent;
    private KeyValueStore<String, Long> cursors;

    @BeforeEach
    void setUp() {
        driver = TestObjects.driver(
                TestObjects.topology(RecentLogsTopology::addTo, TestObjects.options(3, 1000, Duration.ofHours(1))),
                stateDir);
        logs = TestObjects.normalizedLogs(driver);
        recent = driver.getKeyValueStore(Stores.RECENT_LOGS.name());
        cursors = driver.getKeyValueStore(Stores.RECENT_LOGS_CURSOR.name());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    /** slot → message for one service and level. */
    private Map<Integer, String> ring(String service, Level level) {
        Map<Integer, String> out = new TreeMap<>();
        try (var it = recent.prefixScan(
                RecentLogKey.levelPrefix(service, level),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            it.forEachRemaining(kv -> out.put(RecentLogKey.parse(kv.key).slot(), kv.value.message()));
        }
        return out;
    }

    @Test
    void keepsLogsInSlots_andCountsThemInTheCursor() {
        pipe(logs, log("orders", Level.INFO, "m0", T0), log("orders", Level.INFO, "m1", T0 + 1));
        assertThat(ring("orders", Level.INFO)).containsExactly(Map.entry(0, "m0"), Map.entry(1, "m1"));
        assertThat(cursors.get(RecentLogKey.cursorKey("orders", Level.INFO))).isEqualTo(2L);
        assertThat(recent.get(new RecentLogKey("orders", Level.INFO, 1).encode())
                        .timestamp())
                .isEqualTo(T0 + 1);
    }

    @Test
    void ringWrapsAround_overwritingTheOldest() {
        for (int i = 0; i < 5; i++) pipe(logs, log("orders", Level.INFO, "m" + i, T0 + i));
        assertThat(ring("orders", Level.INFO))
                .containsExactly(Map.entry(0, "m3"), Map.entry(1, "m4"), Map.entry(2, "m2"));
        assertThat(cursors.get(RecentLogKey.cursorKey("orders", Level.INFO))).isEqualTo(5L);
        assertThat(list(recent.all())).hasSize(3);
    }

    @Test
    void floodOfInfoLogs_neverPushesOutErrors() {
        pipe(logs, log("orders", Level.ERROR, "the error", T0));
        for (int i = 0; i < 10; i++) pipe(logs, log("orders", Level.INFO, "info " + i, T0 + 1 + i));
        assertThat(ring("orders", Level.ERROR)).containsExactly(Map.entry(0, "the error"));
        assertThat(ring("orders", Level.INFO)).hasSize(3);
    }

    @Test
    void servicesHaveSeparateRings() {
        pipe(logs, log("orders", Level.WARN, "o", T0), log("billing", Level.WARN, "b", T0));
        assertThat(ring("orders", Level.WARN)).containsExactly(Map.entry(0, "o"));
        assertThat(ring("billing", Level.WARN)).containsExactly(Map.entry(0, "b"));
    }

    @Test
    void writesNothingButItsStoresChangelogs() {
        pipe(logs, log("orders", Level.INFO, "m", T0));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(driver.producedTopicNames())
                .containsExactlyInAnyOrder(
                        "logflow-test-recent-logs-changelog", "logflow-test-recent-logs-cursor-changelog");
    }

    @Test
    void outOfOrderAndLateLogs_areKeptToo_asRecentlyReceived() {
        pipe(logs, log("orders", Level.INFO, "now", T0 + 3_600_000), log("orders", Level.INFO, "an hour late", T0));
        assertThat(ring("orders", Level.INFO)).containsExactly(Map.entry(0, "now"), Map.entry(1, "an hour late"));
        List<LogRecord> values = list(recent.all()).stream().map(kv -> kv.value).toList();
        assertThat(values).extracting(LogRecord::timestamp).containsExactlyInAnyOrder(T0 + 3_600_000, T0);
    }
}
