package io.logflow.topology;

import static io.logflow.topology.TestObjects.T0;
import static io.logflow.topology.TestObjects.TRACE_A;
import static io.logflow.topology.TestObjects.TRACE_B;
import static io.logflow.topology.TestObjects.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.alerts.AlertEvent;
import io.logflow.alerts.AlertEventJson;
import io.logflow.alerts.AlertRule;
import io.logflow.alerts.RuleJson;
import io.logflow.alerts.RuleValidation;
import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import io.logflow.model.schema.LogFlowSerdes;
import io.logflow.model.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole topology with alert rules: fire on the crossing record, one FIRING per rule and
 * service, no resolve inside the window, resolve after it, resolve on rule update and delete,
 * no_data on silence, span latency rules through the by-service repartition.
 */
class AlertTopologyTest {
    static final String RULE = "7a1c2d3e-0000-4000-8000-000000000001";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> rules;
    private TestInputTopic<String, LogRecord> logs;
    private TestInputTopic<String, SpanRecord> spans;
    private TestOutputTopic<String, byte[]> alerts;
    private TestInputTopic<String, byte[]> resets;

    @BeforeEach
    void start() {
        driver = TestObjects.driver(LogFlowTopology.build(TopologyOptions.defaults()), stateDir);
        rules = driver.createInputTopic(
                Topics.ALERT_RULES.name(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        logs = TestObjects.normalizedLogs(driver);
        spans = driver.createInputTopic(
                Topics.SPANS_NORMALIZED.name(),
                Serdes.String().serializer(),
                LogFlowSerdes.spanJson().serializer());
        alerts = driver.createOutputTopic(
                Topics.ALERTS.name(),
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        resets = driver.createInputTopic(
                Topics.ALERT_RESETS.name(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static AlertRule rule(String id, long version, String json) {
        RuleValidation.Result r = RuleValidation.validate(
                JSON.readTree(json), id, null, Instant.ofEpochMilli(T0), version, Instant.ofEpochMilli(T0));
        assertThat(r).isInstanceOf(RuleValidation.Valid.class);
        return ((RuleValidation.Valid) r).rule();
    }

    private void publish(AlertRule rule) {
        rules.pipeInput(rule.id(), RuleJson.write(rule), T0);
        driver.advanceWallClockTime(Duration.ofSeconds(1)); // the processors re-read the rules every second
    }

    private void errors(String service, int n, long at, String traceId) {
        for (int i = 0; i < n; i++) {
            LogRecord l = log(service, Level.ERROR, "timeout " + i, at + i, traceId);
            logs.pipeInput(l.service(), l, l.timestamp());
        }
    }

    private List<AlertEvent> drain() {
        return alerts.readRecordsToList().stream()
                .map(TestRecord::value)
                .map(AlertEventJson::read)
                .toList();
    }

    static final String SEED = """
      {"name":"Critical Error Spike","description":"Alert when errors exceed threshold","condition":"greater_than",
       "threshold":3,"time_window":5,"levels":["ERROR"],"services":["payments"],
       "notification_channel":"webhook","notification_config":{"url":"http://127.0.0.1:9999/hook"},"is_active":true}""";

    @Test
    void firesOnTheCrossingLog_once_andResolvesOnlyAfterAQuietWindow() {
        publish(rule(RULE, 1, SEED));
        errors("payments", 3, T0 + 1_000, TRACE_A);
        assertThat(drain()).isEmpty(); // 3 is not > 3
        errors("payments", 1, T0 + 2_000, TRACE_B);
        List<AlertEvent> fired = drain();
        assertThat(fired).hasSize(1);
        AlertEvent f = fired.get(0);
        assertThat(f.state()).isEqualTo(AlertEvent.State.FIRING);
        assertThat(f.service()).isEqualTo("payments");
        assertThat(f.value()).isEqualTo(4.0);
        assertThat(f.threshold()).isEqualTo(3.0);
        assertThat(f.ruleName()).isEqualTo("Critical Error Spike");
        assertThat(f.sampleTraceIds()).contains(TRACE_A, TRACE_B);
        assertThat(alerts.isEmpty()).isTrue();

        errors("payments", 10, T0 + 3_000, TRACE_A); // still breached: no second FIRING
        errors("orders", 10, T0 + 3_000, TRACE_A); // not a watched service
        assertThat(drain()).isEmpty();

        driver.advanceWallClockTime(Duration.ofMinutes(2)); // inside the window: no resolve
        assertThat(drain()).isEmpty();
        driver.advanceWallClockTime(Duration.ofMinutes(5)); // the errors left the window and the window has passed
        List<AlertEvent> resolved = drain();
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).state()).isEqualTo(AlertEvent.State.RESOLVED);
        assertThat(resolved.get(0).alertId()).isEqualTo(f.alertId());
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(drain()).isEmpty();
    }

    @Test
    void aDeletedOrChangedRule_resolvesItsFiringAlerts() {
        AlertRule v1 = rule(RULE, 1, SEED.replace("\"services\":[\"payments\"]", "\"services\":[]"));
        publish(v1);
        errors("payments", 4, T0 + 1_000, TRACE_A);
        errors("orders", 4, T0 + 1_000, TRACE_A);
        assertThat(drain()).extracting(AlertEvent::service).containsExactlyInAnyOrder("payments", "orders");

        publish(rule(RULE, 2, SEED.replace("\"threshold\":3", "\"threshold\":100")));
        assertThat(drain())
                .extracting(e -> e.state() + " " + e.service() + " " + e.reason())
                .containsExactlyInAnyOrder("RESOLVED payments rule changed", "RESOLVED orders rule changed");

        errors("payments", 101, T0 + 2_000, TRACE_A); // the new version starts from zero and fires at 101
        assertThat(drain()).extracting(AlertEvent::state).containsExactly(AlertEvent.State.FIRING);
        rules.pipeInput(RULE, null, T0);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(drain()).extracting(e -> e.state() + " " + e.reason()).containsExactly("RESOLVED rule deleted");
    }

    /** What the API publishes when a user resolves an alert by hand. */
    private void resolveManually(AlertEvent firing) {
        AlertEvent resolved = new AlertEvent(
                firing.alertId(),
                firing.ruleId(),
                firing.ruleName(),
                firing.severity(),
                AlertEvent.State.RESOLVED,
                firing.service(),
                firing.metric(),
                firing.condition(),
                firing.value(),
                firing.threshold(),
                firing.timeWindowMinutes(),
                firing.windowStart(),
                firing.windowEnd(),
                firing.sampleTraceIds(),
                firing.firedAt(),
                firing.firedAt().plusSeconds(1),
                "resolved manually by bob");
        resets.pipeInput(firing.alertId(), AlertEventJson.write(resolved), T0);
    }

    @Test
    void aManualResolve_whileTheConditionHolds_firesANewAlert_andOnceItNoLongerHolds_nothing() {
        publish(rule(RULE, 1, SEED));
        errors("payments", 4, T0 + 1_000, TRACE_A);
        AlertEvent first = drain().get(0);
        errors("payments", 1, T0 + 3_000, TRACE_A); // still firing here: nothing new
        assertThat(drain()).isEmpty();

        resolveManually(first);
        driver.advanceWallClockTime(Duration.ofSeconds(1)); // the next punctuation sees the reset
        List<AlertEvent> again = drain();
        assertThat(again)
                .extracting(AlertEvent::state)
                .containsExactly(AlertEvent.State.FIRING); // 5 errors in the window, > 3
        AlertEvent second = again.get(0);
        assertThat(second.alertId()).isNotEqualTo(first.alertId());
        assertThat(second.value()).isEqualTo(5.0);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(drain()).isEmpty(); // one FIRING, as ever
        resolveManually(first); // a repeated reset of an alert no longer firing changes nothing
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(drain()).isEmpty();

        // resolved by hand once the errors have left the window: the topology neither fires nor resolves it again
        resolveManually(second);
        driver.advanceWallClockTime(Duration.ofMinutes(6));
        assertThat(drain()).isEmpty();
        errors("payments", 4, T0 + 7 * 60_000, TRACE_B); // a new breach is a new alert
        assertThat(drain())
                .extracting(e -> e.state() + " " + (e.alertId().equals(second.alertId()) ? "same" : "new"))
                .containsExactly("FIRING new");
    }

    @Test
    void aManualResolve_ofADeletedRulesAlert_isNotResolvedAgain() {
        publish(rule(RULE, 1, SEED));
        errors("payments", 4, T0 + 1_000, TRACE_A);
        AlertEvent first = drain().get(0);
        resolveManually(first);
        rules.pipeInput(RULE, null, T0);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(drain()).isEmpty(); // without the reset: "RESOLVED rule deleted"
    }

    @Test
    void noData_firesWhenAServiceThatWasSeenGoesSilent() {
        publish(rule(
                RULE, 1, "{\"name\":\"silent\",\"metric\":\"no_data\",\"time_window\":2,\"services\":[\"worker\"]}"));
        LogRecord l = log("worker", Level.INFO, "alive", T0 + 500, null);
        logs.pipeInput(l.service(), l, l.timestamp());
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(drain()).isEmpty();
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        List<AlertEvent> fired = drain();
        assertThat(fired).extracting(e -> e.state() + " " + e.service()).containsExactly("FIRING worker");
    }

    @Test
    void latencyRules_seeEverySpanOfTheService_throughTheRepartition() {
        publish(rule(
                RULE,
                1,
                "{\"name\":\"slow "
                        + "payments\",\"metric\":\"latency_p95\",\"condition\":\"greater_than\",\"threshold\":150,"
                        + "\"time_window\":5,\"services\":[\"payments\"],\"severity\":\"critical\"}"));
        for (int i = 0; i < 20; i++) {
            String trace = String.format("%032x", 1000 + i); // many traces: many trace-id partitions, one service
            SpanRecord s = TraceTopologyTest.span(
                    trace,
                    "b00000000000000" + (i % 10),
                    null,
                    "payments",
                    "charge",
                    SpanRecord.Kind.SERVER,
                    T0 + 1_000 + i,
                    i < 15 ? 20 : 300,
                    false);
            spans.pipeInput(trace, s, s.startMillis());
        }
        // 5 of 20 spans take 300 ms: p95 is 300 ms, above 150; it crossed once, on the 16th span (the first slow one
        // makes p95 = 300 ms of 16)
        List<AlertEvent> fired = drain();
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).state()).isEqualTo(AlertEvent.State.FIRING);
        assertThat(fired.get(0).value()).isBetween(297.0, 303.0);
    }

    @Test
    void anInvalidRuleRecord_isIgnored_andTheOthersStillWork() {
        rules.pipeInput("bad", "{not a rule".getBytes(), T0);
        publish(rule(RULE, 1, SEED));
        errors("payments", 4, T0 + 1_000, TRACE_A);
        assertThat(drain()).hasSize(1);
    }
}
