package io.logflow.alerts;

import static io.logflow.alerts.TestObjects.MINUTE;
import static io.logflow.alerts.TestObjects.RULE_ID;
import static io.logflow.alerts.TestObjects.SERVICE;
import static io.logflow.alerts.TestObjects.T0;
import static io.logflow.alerts.TestObjects.TRACES;
import static io.logflow.alerts.TestObjects.seedRule;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.alerts.AlertStateMachine.Firing;
import io.logflow.alerts.AlertStateMachine.Step;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AlertStateMachineTest {
    /** Log count > 50 over 5 minutes for payment-service. */
    private static final AlertRule RULE = seedRule();

    private static final Evaluation BREACHED = new Evaluation(57, true);
    private static final Evaluation OK = new Evaluation(12, false);

    private static Firing fireAt(long now) {
        Step s = AlertStateMachine.step(RULE, SERVICE, null, BREACHED, now, TRACES);
        assertThat(s.next()).isNotNull();
        return s.next();
    }

    @Test
    void okAndNotBreached_staysOk_silently() {
        assertThat(AlertStateMachine.step(RULE, SERVICE, null, OK, T0, TRACES)).isEqualTo(new Step(null, null));
    }

    @Test
    void okAndBreached_fires() {
        Step s = AlertStateMachine.step(RULE, SERVICE, null, BREACHED, T0, TRACES);
        AlertEvent e = s.emitted();
        String expectedId = UUID.nameUUIDFromBytes((RULE_ID + "|" + SERVICE + "|" + T0).getBytes())
                .toString();
        assertThat(e)
                .isEqualTo(new AlertEvent(
                        expectedId,
                        RULE_ID,
                        "Critical Error Spike",
                        Severity.WARNING,
                        AlertEvent.State.FIRING,
                        SERVICE,
                        Metric.LOG_COUNT,
                        Condition.GREATER_THAN,
                        57,
                        50,
                        5,
                        Instant.ofEpochMilli(T0 - 5 * MINUTE),
                        Instant.ofEpochMilli(T0),
                        TRACES,
                        Instant.ofEpochMilli(T0),
                        null,
                        null));
        assertThat(s.next()).isEqualTo(new Firing(expectedId, T0, 57, T0 - 5 * MINUTE, T0, TRACES));
        assertThat(e.key()).isEqualTo(RULE_ID + "|" + SERVICE);
    }

    @Test
    void theAlertId_isDeterministic_perRuleServiceAndFiringTime() {
        String a = AlertStateMachine.step(RULE, SERVICE, null, BREACHED, T0, null)
                .emitted()
                .alertId();
        assertThat(AlertStateMachine.step(RULE, SERVICE, null, BREACHED, T0, TRACES)
                        .emitted()
                        .alertId())
                .isEqualTo(a);
        assertThat(AlertStateMachine.step(RULE, "orders", null, BREACHED, T0, null)
                        .emitted()
                        .alertId())
                .isNotEqualTo(a);
        assertThat(AlertStateMachine.step(RULE, SERVICE, null, BREACHED, T0 + 1, null)
                        .emitted()
                        .alertId())
                .isNotEqualTo(a);
    }

    @Test
    void firingAndStillBreached_emitsNoSecondFiring() {
        Firing f = fireAt(T0);
        for (long now : new long[] {T0 + 1, T0 + 5 * MINUTE, T0 + 60 * MINUTE}) {
            Step s = AlertStateMachine.step(RULE, SERVICE, f, new Evaluation(500, true), now, List.of("other"));
            assertThat(s).isEqualTo(new Step(f, null));
        }
    }

    @Test
    void firingAndRecovered_doesNotResolveInsideTheWindow() {
        Firing f = fireAt(T0);
        for (long now : new long[] {T0, T0 + MINUTE, T0 + 5 * MINUTE - 1}) {
            assertThat(AlertStateMachine.step(RULE, SERVICE, f, OK, now, null)).isEqualTo(new Step(f, null));
        }
    }

    @Test
    void firingAndRecovered_resolvesOnceAWindowHasPassed() {
        Firing f = fireAt(T0);
        long now = T0 + 5 * MINUTE;
        Step s = AlertStateMachine.step(RULE, SERVICE, f, OK, now, List.of("ignored"));
        assertThat(s.next()).isNull();
        assertThat(s.emitted())
                .isEqualTo(new AlertEvent(
                        f.alertId(),
                        RULE_ID,
                        "Critical Error Spike",
                        Severity.WARNING,
                        AlertEvent.State.RESOLVED,
                        SERVICE,
                        Metric.LOG_COUNT,
                        Condition.GREATER_THAN,
                        12,
                        50,
                        5,
                        Instant.ofEpochMilli(T0),
                        Instant.ofEpochMilli(now),
                        TRACES,
                        Instant.ofEpochMilli(T0),
                        Instant.ofEpochMilli(now),
                        null));
    }

    @Test
    void aResolvedAlert_firesAgain_withANewId() {
        Firing first = fireAt(T0);
        Step resolved = AlertStateMachine.step(RULE, SERVICE, first, OK, T0 + 6 * MINUTE, null);
        assertThat(resolved.emitted().state()).isEqualTo(AlertEvent.State.RESOLVED);
        Step again = AlertStateMachine.step(RULE, SERVICE, resolved.next(), BREACHED, T0 + 6 * MINUTE + 1, null);
        assertThat(again.emitted().state()).isEqualTo(AlertEvent.State.FIRING);
        assertThat(again.emitted().alertId()).isNotEqualTo(first.alertId());
        assertThat(again.next().firedAtMillis()).isEqualTo(T0 + 6 * MINUTE + 1);
        assertThat(again.emitted().sampleTraceIds()).isEmpty();
    }

    @Test
    void resolveNow_resolvesInsideTheWindow_withTheReason_andTheFiringValue() {
        Firing f = fireAt(T0);
        AlertEvent e = AlertStateMachine.resolveNow(RULE, SERVICE, f, T0 + MINUTE, "rule deleted");
        assertThat(e.state()).isEqualTo(AlertEvent.State.RESOLVED);
        assertThat(e.alertId()).isEqualTo(f.alertId());
        assertThat(e.reason()).isEqualTo("rule deleted");
        assertThat(e.value()).isEqualTo(57);
        assertThat(e.firedAt()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(e.resolvedAt()).isEqualTo(Instant.ofEpochMilli(T0 + MINUTE));
        assertThat(e.windowStart()).isEqualTo(Instant.ofEpochMilli(T0 - 4 * MINUTE));
        assertThat(e.windowEnd()).isEqualTo(Instant.ofEpochMilli(T0 + MINUTE));
    }

    @Test
    void sampleTraceIds_areTheFirstFiveDistinctNonBlankOnes() {
        List<String> many = java.util.Arrays.asList("a", "a", null, " ", "b", "c", "d", "e", "f", "g");
        Step s = AlertStateMachine.step(RULE, SERVICE, null, BREACHED, T0, many);
        assertThat(s.emitted().sampleTraceIds()).containsExactly("a", "b", "c", "d", "e");
        assertThat(s.next().sampleTraceIds()).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void aNoDataRule_firesAndResolves_likeAnyOther() {
        AlertRule silence = TestObjects.rule(Metric.NO_DATA, null, 0, 10, List.of(), null);
        WindowTotals t = new WindowTotals(0, 0, 0, 0, 0, 0, 0, 0, T0);
        Step fired = AlertStateMachine.step(
                silence, SERVICE, null, Evaluator.evaluate(silence, t, T0 + 10 * MINUTE), T0 + 10 * MINUTE, null);
        assertThat(fired.emitted().state()).isEqualTo(AlertEvent.State.FIRING);
        assertThat(fired.emitted().value()).isEqualTo(10);
        assertThat(fired.emitted().condition()).isNull();
        WindowTotals back = new WindowTotals(1, 1, 0, 0, 0, 0, 0, 0, T0 + 15 * MINUTE);
        long now = T0 + 20 * MINUTE;
        Step resolved = AlertStateMachine.step(
                silence, SERVICE, fired.next(), Evaluator.evaluate(silence, back, now), now, null);
        assertThat(resolved.emitted().state()).isEqualTo(AlertEvent.State.RESOLVED);
        assertThat(resolved.next()).isNull();
    }
}
