package io.logflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

class SpanMetricsTest {

    @Test
    void countsCalls_errors_andLatency() {
        SpanMetrics m = SpanMetrics.empty();
        for (int i = 1; i <= 100; i++) m.add(i * 1_000_000L, i % 10 == 0);
        assertThat(m.count()).isEqualTo(100);
        assertThat(m.errors()).isEqualTo(10);
        assertThat(m.errorRate()).isEqualTo(0.1);
        assertThat(m.quantileMillis(0.5)).isCloseTo(50, withinPercentage(1));
        assertThat(m.quantileMillis(0.99)).isCloseTo(99, withinPercentage(1));
        assertThat(m.latency().count()).isEqualTo(100);
    }

    @Test
    void emptyMetrics_haveZeroRate_andZeroLatency() {
        SpanMetrics m = SpanMetrics.empty();
        assertThat(m.count()).isZero();
        assertThat(m.errorRate()).isZero();
        assertThat(m.quantileMillis(0.99)).isZero();
    }

    @Test
    void mergeAddsCounts_andLatencies_leavingTheOtherUnchanged() {
        SpanMetrics a = SpanMetrics.empty().add(10_000_000, false).add(20_000_000, true);
        SpanMetrics b = SpanMetrics.empty().add(1_000_000_000, true);
        SpanMetrics bBefore = SpanMetrics.fromBytes(b.toBytes());
        assertThat(a.merge(b)).isSameAs(a);
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.errors()).isEqualTo(2);
        assertThat(a.quantileMillis(1.0)).isCloseTo(1000, withinPercentage(1));
        assertThat(b).isEqualTo(bBefore);
    }

    @Test
    void latencyIsACopy() {
        SpanMetrics m = SpanMetrics.empty().add(1_000_000, false);
        m.latency().add(5);
        assertThat(m.latency().count()).isEqualTo(1);
    }

    @Test
    void roundTripsThroughBytes() {
        SpanMetrics m = SpanMetrics.empty().add(0, false).add(3_000_000, true).add(7_500_000_000L, false);
        SpanMetrics back = SpanMetrics.fromBytes(m.toBytes());
        assertThat(back).isEqualTo(m);
        assertThat(back.quantileMillis(1.0)).isEqualTo(m.quantileMillis(1.0));
        assertThat(back.errorRate()).isEqualTo(m.errorRate());
    }

    @Test
    void refusesAnUnknownVersion() {
        byte[] bytes = SpanMetrics.empty().toBytes();
        bytes[0] = 42;
        assertThatThrownBy(() -> SpanMetrics.fromBytes(bytes)).hasMessageContaining("version 42");
    }
}
