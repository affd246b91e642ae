package io.logflow.topology;

import static io.logflow.topology.TestObjects.T0;
import static io.logflow.topology.TestObjects.TRACE_A;
import static io.logflow.topology.TestObjects.list;
import static io.logflow.topology.TestObjects.log;
import static io.logflow.topology.TestObjects.pipe;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.Level;
import io.logflow.model.LogCounts;
import io.logflow.model.LogRecord;
import io.logflow.model.TopErrors;
import io.logflow.model.schema.Stores;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceStatsTopologyTest {
    static final long MINUTE = 60_000;
    static final long GRACE = TopologyOptions.defaults().grace().toMillis();

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, LogRecord> logs;
    private WindowStore<String, LogCounts> stats;
    private WindowStore<String, TopErrors> errors;
    private KeyValueStore<String, LogCounts> services;

    @BeforeEach
    void setUp() {
        driver = TestObjects.driver(
                TestObjects.topology(ServiceStatsTopology::addTo, TopologyOptions.defaults()), stateDir);
        logs = TestObjects.normalizedLogs(driver);
        stats = driver.getWindowStore(Stores.SERVICE_STATS.name());
        errors = driver.getWindowStore(Stores.SERVICE_ERRORS.name());
        services = driver.getKeyValueStore(Stores.SERVICES.name());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private LogCounts window(String service, long start) {
        return stats.fetch(service, start);
    }

    @Test
    void countsPerLevel_errorRate_andFirstLastSeen_perServiceAndMinute() {
        pipe(
                logs,
                log("orders", Level.INFO, "a", T0 + 1_000),
                log("orders", Level.ERROR, "b", T0 + 2_000),
                log("orders", Level.FATAL, "c", T0 + 3_000),
                log("orders", Level.INFO, "d", T0 + 4_000),
                log("billing", Level.WARN, "e", T0 + 5_000));

        LogCounts orders = window("orders", T0);
        assertThat(orders.total()).isEqualTo(4);
        assertThat(orders.count(Level.INFO)).isEqualTo(2);
        assertThat(orders.errors()).isEqualTo(2);
        assertThat(orders.errorRate()).isEqualTo(0.5);
        assertThat(orders.firstSeen()).isEqualTo(T0 + 1_000);
        assertThat(orders.lastSeen()).isEqualTo(T0 + 4_000);
        assertThat(window("billing", T0).count(Level.WARN)).isEqualTo(1);
        assertThat(window("billing", T0).total()).isEqualTo(1);
        assertThat(list(stats.all())).hasSize(2);
    }

    @Test
    void windowBoundary_59999msIsTheFirstMinute_60000msTheNext() {
        pipe(
                logs,
                log("orders", Level.INFO, "start", T0),
                log("orders", Level.INFO, "last ms", T0 + 59_999),
                log("orders", Level.INFO, "next minute", T0 + 60_000));

        assertThat(window("orders", T0).total()).isEqualTo(2);
        assertThat(window("orders", T0).lastSeen()).isEqualTo(T0 + 59_999);
        assertThat(window("orders", T0 + MINUTE).total()).isEqualTo(1);
        assertThat(window("orders", T0 + MINUTE).firstSeen()).isEqualTo(T0 + 60_000);
        assertThat(list(stats.fetch("orders", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 10 * MINUTE))))
                .extracting(kv -> kv.key)
                .containsExactly(T0, T0 + MINUTE);
    }

    @Test
    void outOfOrderLog_withinGrace_isCountedInItsOwnWindow() {
        pipe(
                logs,
                log("orders", Level.INFO, "now", T0 + MINUTE + 20_000),
                // 50 s behind: its window [T0, T0+60s) ended 20 s ago, grace is 30 s
                log("orders", Level.ERROR, "late", T0 + 30_000));

        assertThat(window("orders", T0).errors()).isEqualTo(1);
        assertThat(window("orders", T0).total()).isEqualTo(1);
        assertThat(window("orders", T0 + MINUTE).total()).isEqualTo(1);
        assertThat(errors.fetch("orders", T0).top(10))
                .extracting(TopErrors.Entry::template)
                .containsExactly("late");
        assertThat(services.get("orders").total()).isEqualTo(2);
    }

    @Test
    void logMarkedLate_isLeftOutOfTheWindows_butCountedInTheRegistry() {
        pipe(logs, log("orders", Level.INFO, "first", T0 + 10_000));
        pipeLate(log("orders", Level.ERROR, "too late", T0 + 59_999));

        assertThat(window("orders", T0).total()).isEqualTo(1);
        assertThat(window("orders", T0).errors()).isZero();
        assertThat(errors.fetch("orders", T0)).isNull();
        LogCounts registry = services.get("orders");
        assertThat(registry.total()).isEqualTo(2);
        assertThat(registry.errors()).isEqualTo(1);
        assertThat(registry.firstSeen()).isEqualTo(T0 + 10_000);
    }

    @Test
    void logsFarBehindOthersOnLogflowLogs_butNotMarkedLate_areCounted_asInACatchUp() {
        // a catch-up: one normaliser task already wrote minute 5, another is still writing minute 0
        pipe(
                logs,
                log("orders", Level.ERROR, "timeout after 10 ms", T0 + 1_000),
                log("billing", Level.INFO, "from a task that ran ahead", T0 + 5 * MINUTE),
                log("orders", Level.ERROR, "timeout after 20 ms", T0 + 2_000));
        assertThat(window("orders", T0).errors()).isEqualTo(2);
        assertThat(errors.fetch("orders", T0).top(10))
                .extracting(TopErrors.Entry::count)
                .containsExactly(2L);
    }

    private void pipeLate(LogRecord log) {
        org.apache.kafka.common.header.internals.RecordHeaders headers =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add(io.logflow.model.schema.LogHeaders.LATE, new byte[] {'1'});
        logs.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(log.service(), log, headers, log.timestamp()));
    }

    @Test
    void topErrors_groupMessagesByTemplate_withCountAndExample() {
        pipe(
                logs,
                log("orders", Level.ERROR, "timeout after 30s for order 123", T0 + 1_000, TRACE_A),
                log("orders", Level.FATAL, "timeout after 31s for order 456", T0 + 2_000),
                log("orders", Level.ERROR, "disk full", T0 + 3_000),
                log("orders", Level.INFO, "timeout after 32s for order 789", T0 + 4_000),
                log("orders", Level.WARN, "disk full", T0 + 5_000));

        assertThat(errors.fetch("orders", T0).top(10))
                .containsExactly(
                        new TopErrors.Entry(
                                "timeout after <n>s for order <n>",
                                2,
                                "timeout after 30s for order 123",
                                TRACE_A,
                                T0 + 2_000),
                        new TopErrors.Entry("disk full", 1, "disk full", null, T0 + 3_000));
        assertThat(window("orders", T0).errors()).isEqualTo(2 + 1);
    }

    @Test
    void servicesWithoutErrors_haveNoErrorWindow() {
        pipe(logs, log("quiet", Level.INFO, "hello", T0));
        assertThat(errors.fetch("quiet", T0)).isNull();
        assertThat(list(errors.all())).isEmpty();
    }

    @Test
    void registry_coversAllTime_acrossWindows() {
        pipe(
                logs,
                log("orders", Level.INFO, "a", T0),
                log("orders", Level.ERROR, "b", T0 + 10 * MINUTE),
                log("billing", Level.DEBUG, "c", T0 + 20 * MINUTE));
        assertThat(list(services.all())).extracting(kv -> kv.key).containsExactly("billing", "orders");
        LogCounts orders = services.get("orders");
        assertThat(orders.total()).isEqualTo(2);
        assertThat(orders.firstSeen()).isEqualTo(T0);
        assertThat(orders.lastSeen()).isEqualTo(T0 + 10 * MINUTE);
    }

    @Test
    void windowsOlderThanRetention_expire() {
        TopologyOptions d = TopologyOptions.defaults();
        TopologyOptions shortRetention = new TopologyOptions(
                d.grace(),
                java.time.Duration.ofMinutes(5),
                d.recentLogsPerLevel(),
                d.maxLogsPerTrace(),
                d.traceRetention(),
                d.maxSpansPerTrace(),
                d.deadLetters(),
                d.statsVersions());
        driver.close();
        java.util.Properties props = TestObjects.settings(stateDir);
        props.put("statestore.cache.max.bytes", "0"); // look at RocksDB itself, not the record cache
        driver = new TopologyTestDriver(
                TestObjects.topology(ServiceStatsTopology::addTo, shortRetention), props, Instant.ofEpochMilli(T0));
        logs = TestObjects.normalizedLogs(driver);
        pipe(logs, log("orders", Level.INFO, "old", T0), log("orders", Level.INFO, "much later", T0 + 60 * MINUTE));
        WindowStore<String, LogCounts> s = driver.getWindowStore(Stores.SERVICE_STATS.name());
        assertThat(list(s.fetch("orders", Instant.ofEpochMilli(0), Instant.ofEpochMilli(T0 + 120 * MINUTE))))
                .extracting(kv -> kv.key)
                .containsExactly(T0 + 60 * MINUTE);
    }

    /** A fresh driver whose statistics processor stamps its writes in the returned versions. */
    private WindowVersions restartWithVersions() {
        WindowVersions versions = new WindowVersions();
        driver.close();
        driver = TestObjects.driver(
                TestObjects.topology(
                        ServiceStatsTopology::addTo, TopologyOptions.defaults().withStatsVersions(versions)),
                stateDir);
        logs = TestObjects.normalizedLogs(driver);
        return versions;
    }

    @Test
    void everyWindowWrite_changesThatWindowsStamp_lateLogsAndOtherWindowsDoNot() {
        WindowVersions versions = restartWithVersions();
        WindowVersions.Stamp empty = versions.stamp(0, T0);
        assertThat(empty.valid()).as("the task of partition 0 is open").isTrue();
        assertThat(versions.stamp(1, T0).valid())
                .as("no task of partition 1 here")
                .isFalse();

        pipe(logs, log("orders", Level.INFO, "a", T0 + 1_000));
        WindowVersions.Stamp afterOne = versions.stamp(0, T0);
        WindowVersions.Stamp nextMinute = versions.stamp(0, T0 + MINUTE);
        assertThat(afterOne).isNotEqualTo(empty);
        assertThat(versions.stamp(0, T0)).as("stable while nothing is written").isEqualTo(afterOne);

        pipe(logs, log("payments", Level.ERROR, "b", T0 + 2_000));
        assertThat(versions.stamp(0, T0)).isNotEqualTo(afterOne);
        assertThat(versions.stamp(0, T0 + MINUTE)).as("another window").isEqualTo(nextMinute);

        WindowVersions.Stamp beforeLate = versions.stamp(0, T0);
        pipeLate(log("orders", Level.INFO, "too late", T0 + 3_000));
        assertThat(versions.stamp(0, T0))
                .as("a late log leaves the windows alone")
                .isEqualTo(beforeLate);
    }

    @Test
    void reopeningThePartitionsTask_invalidatesEveryStampOfIt() {
        WindowVersions versions = restartWithVersions();
        pipe(logs, log("orders", Level.INFO, "a", T0 + 1_000));
        WindowVersions.Stamp before = versions.stamp(0, T0);
        driver.close(); // the task closes (e.g. its partition moves to another instance) ...
        assertThat(versions.stamp(0, T0)).isNotEqualTo(before);
        driver = TestObjects.driver(
                TestObjects.topology(
                        ServiceStatsTopology::addTo, TopologyOptions.defaults().withStatsVersions(versions)),
                stateDir);
        assertThat(versions.stamp(0, T0))
                .as("... and opens again with what others wrote meanwhile")
                .isNotEqualTo(before);
    }

    @Test
    void writesNothingButItsStoresChangelogs() {
        pipe(logs, log("orders", Level.ERROR, "boom", T0));
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
        assertThat(driver.producedTopicNames())
                .containsExactlyInAnyOrder(
                        "logflow-test-service-stats-1m-changelog",
                        "logflow-test-service-errors-1m-changelog",
                        "logflow-test-services-changelog");
    }

    @Test
    void readsTheServiceKeyedTopicWithoutRepartitioning() {
        Topology topology = TestObjects.topology(ServiceStatsTopology::addTo, TopologyOptions.defaults());
        assertThat(topology.describe().subtopologies()).hasSize(1);
        assertThat(topology.describe().toString()).doesNotContain("repartition");
    }
}
