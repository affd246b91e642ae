package io.logflow.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConditionTest {

    @Test
    void strictAndInclusiveComparisons_atTheThreshold() {
        assertThat(Condition.GREATER_THAN.test(50, 50)).isFalse();
        assertThat(Condition.GREATER_THAN_OR_EQUAL.test(50, 50)).isTrue();
        assertThat(Condition.LESS_THAN.test(50, 50)).isFalse();
        assertThat(Condition.LESS_THAN_OR_EQUAL.test(50, 50)).isTrue();
        assertThat(Condition.EQUALS.test(50, 50)).isTrue();
    }

    @Test
    void equals_toleratesFloatingPointNoise_only() {
        assertThat(Condition.EQUALS.test(0.1 + 0.2, 0.3)).isTrue();
        assertThat(Condition.GREATER_THAN.test(0.1 + 0.2, 0.3))
                .as("0.30000000000000004 is not above 0.3")
                .isFalse();
        assertThat(Condition.EQUALS.test(0.3001, 0.3)).isFalse();
        assertThat(Condition.EQUALS.test(1e-6, 0)).isFalse();
        assertThat(Condition.EQUALS.test(1_000_000, 1_000_001)).isFalse();
    }

    @Test
    void wireNames_parseInAnyCase() {
        for (Condition c : Condition.values()) {
            assertThat(Condition.parse(c.wire())).isEqualTo(c);
            assertThat(Condition.parse(" " + c.wire().toUpperCase() + " ")).isEqualTo(c);
        }
        assertThat(Condition.parse("greater")).isNull();
        assertThat(Condition.parse(null)).isNull();
        assertThat(Condition.GREATER_THAN_OR_EQUAL.wire()).isEqualTo("greater_than_or_equal");
    }

    @Test
    void enumsHaveLowerCaseWireNames_parsedInAnyCase() {
        assertThat(Metric.parse("LOG_MATCH_COUNT")).isEqualTo(Metric.LOG_MATCH_COUNT);
        assertThat(Metric.NO_DATA.wire()).isEqualTo("no_data");
        assertThat(Metric.parse("bytes")).isNull();
        assertThat(Severity.parse("Critical")).isEqualTo(Severity.CRITICAL);
        assertThat(Severity.WARNING.wire()).isEqualTo("warning");
        assertThat(Severity.parse("fatal")).isNull();
        assertThat(Channel.parse("SLACK")).isEqualTo(Channel.SLACK);
        assertThat(Channel.WEBHOOK.wire()).isEqualTo("webhook");
        assertThat(Channel.parse("email")).isNull();
    }

    @Test
    void spanMetrics_andRates() {
        assertThat(Metric.values())
                .filteredOn(Metric::isSpanMetric)
                .containsExactly(Metric.LATENCY_P95, Metric.LATENCY_P99, Metric.SPAN_ERROR_RATE);
        assertThat(Metric.values())
                .filteredOn(Metric::isRate)
                .containsExactly(Metric.ERROR_RATE, Metric.SPAN_ERROR_RATE);
    }
}
