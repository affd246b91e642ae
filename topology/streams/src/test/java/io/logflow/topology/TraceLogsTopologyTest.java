package io.logflow.topology;

import static io.logflow.topology.TestObjects.T0;
import static io.logflow.topology.TestObjects.TRACE_A;
import static io.logflow.topology.TestObjects.TRACE_B;
import static io.logflow.topology.TestObjects.list;
import static io.logflow.topology.TestObjects.log;
import static io.logflow.topology.TestObjects.pipe;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.schema.Stores;
import io.logflow.model.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceLogsTopologyTest {
    static final long HOUR = 3_600_000;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, LogRecord> logs;
    private WindowStore<String, LogRecord> traces;

    private void start(int maxLogsPerTrace, Duration retention) {
        driver = TestObjects.driver(
                TestObjects.topology(TraceLogsTopology::addTo, TestObjects.options(1000, maxLogsPerTrace, retention)),
                stateDir);
        logs = TestObjects.normalizedLogs(driver);
        traces = driver.getWindowStore(Stores.TRACE_LOGS.name());
    }

    @AfterEach
    void tearDown() {
        if (driver != null) driver.close();
    }

    private List<String> messages(String traceId, long from, long to) {
        return list(traces.fetch(traceId, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))).stream()
                .map(kv -> kv.value.message())
                .toList();
    }

    private List<String> messages(String traceId) {
        return messages(traceId, 0, Long.MAX_VALUE / 2);
    }

    @Test
    void logsOfOneTrace_fromEveryService_comeBackInTimeOrder() {
        start(1000, Duration.ofHours(1));
        pipe(
                logs,
                log("gateway", Level.INFO, "request in", T0 + 100, TRACE_A),
                log("payments", Level.ERROR, "card declined", T0 + 300, TRACE_A),
                log("orders", Level.INFO, "order created", T0 + 200, TRACE_A), // arrives after a later log
                log("orders", Level.INFO, "other trace", T0 + 250, TRACE_B),
                log("gateway", Level.INFO, "no trace", T0 + 260));

        assertThat(messages(TRACE_A)).containsExactly("request in", "order created", "card declined");
        assertThat(list(traces.fetch(TRACE_A, Instant.ofEpochMilli(0), Instant.ofEpochMilli(T0 + HOUR))))
                .extracting(kv -> kv.key)
                .containsExactly(T0 + 100, T0 + 200, T0 + 300);
        assertThat(messages(TRACE_B)).containsExactly("other trace");
        assertThat(list(traces.all())).hasSize(4);
    }

    @Test
    void logsWithTheSameTimestamp_areAllKept_inArrivalOrder() {
        start(1000, Duration.ofHours(1));
        pipe(logs, log("a", Level.INFO, "first", T0, TRACE_A), log("b", Level.INFO, "second", T0, TRACE_A));
        assertThat(messages(TRACE_A)).containsExactly("first", "second");
    }

    @Test
    void fetchByTimeRange_returnsOnlyThatRange() {
        start(1000, Duration.ofHours(1));
        pipe(
                logs,
                log("a", Level.INFO, "one", T0, TRACE_A),
                log("a", Level.INFO, "two", T0 + 1_000, TRACE_A),
                log("a", Level.INFO, "three", T0 + 2_000, TRACE_A));
        assertThat(messages(TRACE_A, T0 + 1_000, T0 + 2_000)).containsExactly("two", "three");
    }

    @Test
    void traceIsBounded_keepingTheFirstLogsToArrive() {
        start(3, Duration.ofHours(1));
        for (int i = 0; i < 5; i++) pipe(logs, log("a", Level.INFO, "m" + i, T0 + 10 - i, TRACE_A));
        pipe(logs, log("a", Level.INFO, "other trace unaffected", T0, TRACE_B));
        assertThat(messages(TRACE_A)).containsExactly("m2", "m1", "m0");
        assertThat(messages(TRACE_B)).containsExactly("other trace unaffected");
    }

    @Test
    void boundHolds_forTracesNoLongerAmongTheCountsKeptInMemory() {
        start(2, Duration.ofHours(1));
        pipe(logs, log("a", Level.INFO, "m0", T0, TRACE_A), log("a", Level.INFO, "m1", T0 + 1, TRACE_A));
        for (int i = 0; i <= TraceLogsTopology.RECENT_COUNTS; i++) {
            pipe(logs, log("b", Level.INFO, "other", T0 + 2, String.format("%032x", i + 1)));
        }
        pipe(logs, log("a", Level.INFO, "m2", T0 + 3, TRACE_A)); // its count is read from the store again
        assertThat(messages(TRACE_A)).containsExactly("m0", "m1");
    }

    @Test
    void boundHolds_acrossABucketBoundary() {
        start(3, Duration.ofHours(1));
        long boundary = T0 + HOUR; // T0 is hour-aligned, so buckets of one hour start at T0, T0+1h, ...
        pipe(
                logs,
                log("a", Level.INFO, "before 1", boundary - 2, TRACE_A),
                log("a", Level.INFO, "before 2", boundary - 1, TRACE_A),
                log("a", Level.INFO, "after 1", boundary, TRACE_A),
                log("a", Level.INFO, "after 2 (over the bound)", boundary + 1, TRACE_A),
                log("a", Level.INFO, "late into the first bucket (over the bound)", boundary - 3, TRACE_A));
        assertThat(messages(TRACE_A)).containsExactly("before 1", "before 2", "after 1");
    }

    @Test
    void longTrace_getsAFreshAllowance_onceItsEarlierLogsHaveExpired() {
        start(2, Duration.ofHours(1));
        pipe(
                logs,
                log("a", Level.INFO, "early 1", T0 + 1, TRACE_A),
                log("a", Level.INFO, "early 2", T0 + 2, TRACE_A),
                log("a", Level.INFO, "dropped: full", T0 + 3, TRACE_A),
                log("a", Level.INFO, "two hours on", T0 + 2 * HOUR + 1, TRACE_A));
        assertThat(messages(TRACE_A, T0 + HOUR, T0 + 3 * HOUR)).containsExactly("two hours on");
    }

    @Test
    void lateLog_withinRetention_isStoredInTimeOrder() {
        start(1000, Duration.ofHours(1));
        pipe(
                logs,
                log("a", Level.INFO, "now", T0 + 30 * 60_000, TRACE_A),
                log("a", Level.INFO, "29 minutes late", T0 + 60_000, TRACE_A));
        assertThat(messages(TRACE_A)).containsExactly("29 minutes late", "now");
    }

    @Test
    void logOlderThanRetention_isNotStored() {
        start(1000, Duration.ofHours(1));
        pipe(
                logs,
                log("b", Level.INFO, "advances stream time", T0 + 2 * HOUR, TRACE_B),
                log("a", Level.INFO, "two hours late", T0, TRACE_A));
        assertThat(messages(TRACE_A)).isEmpty();
    }

    @Test
    void logsWithoutTraceId_areIgnored() {
        start(1000, Duration.ofHours(1));
        pipe(
                logs,
                log("a", Level.INFO, "no trace", T0),
                log("b", Level.ERROR, "no trace either", T0 + 1),
                log("a", Level.INFO, "traced", T0 + 2, TRACE_A));
        assertThat(list(traces.all())).extracting(kv -> kv.value.message()).containsExactly("traced");
        assertThat(list(driver.<String, Long>getWindowStore(Stores.TRACE_LOG_COUNTS.name())
                        .all()))
                .extracting(kv -> kv.key.key())
                .containsExactly(TRACE_A);
    }

    @Test
    void writesNothingButItsStoresChangelogs() {
        start(1000, Duration.ofHours(1));
        pipe(logs, log("a", Level.INFO, "m", T0, TRACE_A));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(driver.producedTopicNames())
                .containsExactlyInAnyOrder(
                        "logflow-test-trace-logs-changelog", "logflow-test-trace-log-counts-changelog");
    }

    @Test
    void logsStayInTheSubTopologyReadingLogflowLogs_keyedByTraceId_withoutRepartition() {
        Topology topology = TestObjects.topology(TraceLogsTopology::addTo, TopologyOptions.defaults());
        assertThat(topology.describe().subtopologies())
                .singleElement()
                .satisfies(sub -> assertThat(sub.nodes())
                        .filteredOn(n -> n instanceof TopologyDescription.Source)
                        .singleElement()
                        .satisfies(n -> assertThat(((TopologyDescription.Source) n).topicSet())
                                .containsExactly(Topics.LOGS_NORMALIZED.name())));
        assertThat(topology.describe().toString()).doesNotContain("repartition");
        start(1000, Duration.ofHours(1));
        pipe(logs, log("a", Level.INFO, "m", T0, TRACE_A));
        assertThat(list(traces.all())).extracting(kv -> kv.key.key()).containsExactly(TRACE_A);
    }

    /**
     * Two tasks of the logflow.logs sub-topology (two partitions) each keep the logs that arrived on
     * their own partition, bounded separately. TopologyTestDriver runs one task, so each driver here
     * stands for one partition; LogFlowTopologyIT shows the same on real partitions.
     */
    @Test
    void eachPartition_keepsTheTraceLogsThatArrivedOnIt_boundedPerPartition(@TempDir Path otherStateDir) {
        start(2, Duration.ofHours(1));
        try (TopologyTestDriver other = TestObjects.driver(
                TestObjects.topology(TraceLogsTopology::addTo, TestObjects.options(1000, 2, Duration.ofHours(1))),
                otherStateDir)) {
            TestInputTopic<String, LogRecord> otherLogs = TestObjects.normalizedLogs(other);
            pipe(
                    logs,
                    log("gateway", Level.INFO, "gateway 1", T0 + 1, TRACE_A),
                    log("gateway", Level.INFO, "gateway 2", T0 + 3, TRACE_A),
                    log("gateway", Level.INFO, "gateway 3 (over this partition's bound)", T0 + 5, TRACE_A));
            pipe(
                    otherLogs,
                    log("orders", Level.INFO, "orders 1", T0 + 2, TRACE_A),
                    log("orders", Level.INFO, "orders 2", T0 + 4, TRACE_A));
            assertThat(messages(TRACE_A)).containsExactly("gateway 1", "gateway 2");
            WindowStore<String, LogRecord> otherTraces = other.getWindowStore(Stores.TRACE_LOGS.name());
            assertThat(list(otherTraces.fetch(TRACE_A, Instant.EPOCH, Instant.ofEpochMilli(T0 + HOUR))))
                    .extracting(kv -> kv.value.message())
                    .containsExactly("orders 1", "orders 2");
        }
    }
}
