package io.logflow.alerts;

import static io.logflow.alerts.TestObjects.MINUTE;
import static io.logflow.alerts.TestObjects.T0;
import static io.logflow.alerts.TestObjects.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class EvaluatorTest {

    /** Whether each condition holds for a value below, equal to and above the threshold. */
    private static final Map<Condition, boolean[]> EXPECTED = Map.of(
            Condition.GREATER_THAN, new boolean[] {false, false, true},
            Condition.LESS_THAN, new boolean[] {true, false, false},
            Condition.EQUALS, new boolean[] {false, true, false},
            Condition.GREATER_THAN_OR_EQUAL, new boolean[] {false, true, true},
            Condition.LESS_THAN_OR_EQUAL, new boolean[] {true, true, false});

    /**
     * A metric, its threshold, and totals giving a value just below, equal to and just above it. The
     * fields the metric must not read hold other numbers, so reading the wrong one fails the test.
     */
    private record Case(Metric metric, double threshold, double[] values, WindowTotals[] totals) {}

    private static Case caseOf(Metric m) {
        return switch (m) {
            case LOG_COUNT ->
                new Case(m, 50, new double[] {49, 50, 51}, new WindowTotals[] {
                    new WindowTotals(500, 49, 7, 3, 40, 4, 900, 950, T0),
                    new WindowTotals(500, 50, 7, 3, 40, 4, 900, 950, T0),
                    new WindowTotals(500, 51, 7, 3, 40, 4, 900, 950, T0)
                });
            case ERROR_COUNT ->
                new Case(m, 50, new double[] {49, 50, 51}, new WindowTotals[] {
                    new WindowTotals(500, 60, 49, 3, 40, 4, 900, 950, T0),
                    new WindowTotals(500, 60, 50, 3, 40, 4, 900, 950, T0),
                    new WindowTotals(500, 60, 51, 3, 40, 4, 900, 950, T0)
                });
            case ERROR_RATE ->
                new Case(m, 0.3, new double[] {0.2, 0.3, 0.4}, new WindowTotals[] {
                    new WindowTotals(10, 9, 2, 8, 40, 30, 900, 950, T0),
                    new WindowTotals(10, 9, 3, 8, 40, 30, 900, 950, T0),
                    new WindowTotals(10, 9, 4, 8, 40, 30, 900, 950, T0)
                });
            case LOG_MATCH_COUNT ->
                new Case(m, 50, new double[] {49, 50, 51}, new WindowTotals[] {
                    new WindowTotals(500, 60, 7, 49, 40, 4, 900, 950, T0),
                    new WindowTotals(500, 60, 7, 50, 40, 4, 900, 950, T0),
                    new WindowTotals(500, 60, 7, 51, 40, 4, 900, 950, T0)
                });
            case LATENCY_P95 ->
                new Case(m, 250, new double[] {249.5, 250, 250.5}, new WindowTotals[] {
                    new WindowTotals(500, 60, 7, 3, 40, 4, 249.5, 900, T0),
                    new WindowTotals(500, 60, 7, 3, 40, 4, 250, 900, T0),
                    new WindowTotals(500, 60, 7, 3, 40, 4, 250.5, 900, T0)
                });
            case LATENCY_P99 ->
                new Case(m, 250, new double[] {249.5, 250, 250.5}, new WindowTotals[] {
                    new WindowTotals(500, 60, 7, 3, 40, 4, 100, 249.5, T0),
                    new WindowTotals(500, 60, 7, 3, 40, 4, 100, 250, T0),
                    new WindowTotals(500, 60, 7, 3, 40, 4, 100, 250.5, T0)
                });
            case SPAN_ERROR_RATE ->
                new Case(m, 0.3, new double[] {0.2, 0.3, 0.4}, new WindowTotals[] {
                    new WindowTotals(10, 9, 8, 8, 10, 2, 900, 950, T0),
                    new WindowTotals(10, 9, 8, 8, 10, 3, 900, 950, T0),
                    new WindowTotals(10, 9, 8, 8, 10, 4, 900, 950, T0)
                });
            case NO_DATA -> throw new IllegalArgumentException("no_data has its own tests");
        };
    }

    static Stream<Arguments> metricsTimesConditions() {
        List<Arguments> out = new ArrayList<>();
        for (Metric m : Metric.values()) {
            if (m == Metric.NO_DATA) continue;
            for (Condition c : Condition.values()) out.add(Arguments.of(m, c));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("metricsTimesConditions")
    void everyMetric_underEveryCondition_belowAtAndAboveTheThreshold(Metric metric, Condition condition) {
        Case k = caseOf(metric);
        AlertRule rule = rule(metric, condition, k.threshold());
        String[] where = {"below", "at", "above"};
        for (int i = 0; i < 3; i++) {
            Evaluation e = Evaluator.evaluate(rule, k.totals()[i], T0);
            assertThat(e.value())
                    .as("%s value %s the threshold", metric, where[i])
                    .isCloseTo(k.values()[i], within(1e-12));
            assertThat(e.breached())
                    .as("%s %s %s the threshold", metric, condition, where[i])
                    .isEqualTo(EXPECTED.get(condition)[i]);
        }
    }

    @Test
    void theMatrixCoversEveryMetricAndCondition() {
        assertThat(metricsTimesConditions()).hasSize((Metric.values().length - 1) * Condition.values().length);
    }

    @Test
    void logCount_isOfTheRulesLevels_butOfTheMatchingLogs_whenTheRuleHasAPattern() {
        WindowTotals t = new WindowTotals(100, 40, 10, 6, 0, 0, 0, 0, T0);
        assertThat(Evaluator.evaluate(rule(Metric.LOG_COUNT, Condition.GREATER_THAN, 5), t, T0)
                        .value())
                .isEqualTo(40);
        AlertRule withPattern = rule(Metric.LOG_COUNT, Condition.GREATER_THAN, 5, 5, List.of("ERROR"), "timeout");
        assertThat(Evaluator.evaluate(withPattern, t, T0).value()).isEqualTo(6);
    }

    @Test
    void logCount_ofAnEmptyWindow_isZero_andCanBreachLessThan() {
        Evaluation e = Evaluator.evaluate(rule(Metric.LOG_COUNT, Condition.LESS_THAN, 1), WindowTotals.EMPTY, T0);
        assertThat(e).isEqualTo(new Evaluation(0, true));
    }

    @Test
    void errorRate_ofAWindowWithoutLogs_isZero_andNeverBreached() {
        for (Condition c : Condition.values()) {
            Evaluation e = Evaluator.evaluate(rule(Metric.ERROR_RATE, c, 0), WindowTotals.EMPTY, T0);
            assertThat(e).as(c.wire()).isEqualTo(new Evaluation(0, false));
        }
    }

    @Test
    void spanMetrics_ofAWindowWithoutSpans_areZero_andNeverBreached() {
        WindowTotals logsOnly = new WindowTotals(100, 100, 50, 50, 0, 0, 123, 456, T0);
        for (Metric m : List.of(Metric.LATENCY_P95, Metric.LATENCY_P99, Metric.SPAN_ERROR_RATE)) {
            for (Condition c : Condition.values()) {
                Evaluation e = Evaluator.evaluate(rule(m, c, 0), logsOnly, T0);
                assertThat(e).as(m.wire() + " " + c.wire()).isEqualTo(new Evaluation(0, false));
            }
        }
    }

    @Test
    void rates_equalAThresholdWrittenAsADecimal() {
        // 7/100 and 0.07 round differently in binary only if the comparison is careless
        WindowTotals t = new WindowTotals(100, 0, 7, 0, 100, 7, 0, 0, T0);
        assertThat(Evaluator.evaluate(rule(Metric.ERROR_RATE, Condition.EQUALS, 0.07), t, T0)
                        .breached())
                .isTrue();
        assertThat(Evaluator.evaluate(rule(Metric.SPAN_ERROR_RATE, Condition.GREATER_THAN_OR_EQUAL, 0.07), t, T0)
                        .breached())
                .isTrue();
        assertThat(Evaluator.evaluate(rule(Metric.SPAN_ERROR_RATE, Condition.GREATER_THAN, 0.07), t, T0)
                        .breached())
                .isFalse();
    }

    @ParameterizedTest
    @EnumSource(Condition.class)
    void noData_firesAfterAWindowOfSilence_whateverTheConditionAndThreshold(Condition condition) {
        AlertRule rule = rule(Metric.NO_DATA, condition, 1000);
        long lastSeen = T0 - 5 * MINUTE;
        WindowTotals t = new WindowTotals(0, 0, 0, 0, 0, 0, 0, 0, lastSeen);

        Evaluation justBefore = Evaluator.evaluate(rule, t, lastSeen + 5 * MINUTE - 1);
        assertThat(justBefore.breached()).isFalse();
        assertThat(justBefore.value()).isCloseTo(5.0, within(0.001));

        assertThat(Evaluator.evaluate(rule, t, T0)).isEqualTo(new Evaluation(5.0, true));
        assertThat(Evaluator.evaluate(rule, t, T0 + 7 * MINUTE + 30_000)).isEqualTo(new Evaluation(12.5, true));
    }

    @Test
    void noData_withoutCondition_andForAServiceNeverSeen_neverFires() {
        AlertRule rule = rule(Metric.NO_DATA, null, 0);
        assertThat(Evaluator.evaluate(rule, WindowTotals.EMPTY, T0 + 1000 * MINUTE))
                .isEqualTo(new Evaluation(0, false));
        WindowTotals seen = new WindowTotals(0, 0, 0, 0, 0, 0, 0, 0, T0);
        assertThat(Evaluator.evaluate(rule, seen, T0 + 10 * MINUTE)).isEqualTo(new Evaluation(10, true));
    }

    @Test
    void noData_withTheLastLogInTheFuture_countsNoSilence() {
        WindowTotals t = new WindowTotals(0, 0, 0, 0, 0, 0, 0, 0, T0 + MINUTE);
        assertThat(Evaluator.evaluate(rule(Metric.NO_DATA, null, 0), t, T0)).isEqualTo(new Evaluation(0, false));
    }

    @Test
    void anInactiveRule_isNeverBreached_butStillReportsItsValue() {
        AlertRule r = rule(Metric.ERROR_COUNT, Condition.GREATER_THAN, 1);
        AlertRule inactive = new AlertRule(
                r.id(),
                r.name(),
                r.description(),
                r.metric(),
                r.condition(),
                r.threshold(),
                r.timeWindowMinutes(),
                r.services(),
                r.levels(),
                r.messagePattern(),
                r.severity(),
                r.channel(),
                r.notificationConfig(),
                false,
                r.owner(),
                r.createdAt(),
                r.updatedAt(),
                r.version());
        WindowTotals t = new WindowTotals(10, 10, 10, 0, 0, 0, 0, 0, T0);
        assertThat(Evaluator.evaluate(r, t, T0)).isEqualTo(new Evaluation(10, true));
        assertThat(Evaluator.evaluate(inactive, t, T0)).isEqualTo(new Evaluation(10, false));
    }
}
