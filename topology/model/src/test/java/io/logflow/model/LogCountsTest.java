package io.logflow.model;

import static io.logflow.model.TestObjects.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.schema.LogFlowSerdes;
import org.junit.jupiter.api.Test;

class LogCountsTest {

    @Test
    void countsPerLevel_errors_rate_andFirstLastSeen() {
        LogCounts c = new LogCounts()
                .add(Level.INFO, T0 + 5)
                .add(Level.ERROR, T0 + 1)
                .add(Level.FATAL, T0 + 9)
                .add(Level.INFO, T0 + 3);
        assertThat(c.total()).isEqualTo(4);
        assertThat(c.count(Level.INFO)).isEqualTo(2);
        assertThat(c.errors()).isEqualTo(2);
        assertThat(c.errorRate()).isEqualTo(0.5);
        assertThat(c.firstSeen()).isEqualTo(T0 + 1);
        assertThat(c.lastSeen()).isEqualTo(T0 + 9);
    }

    @Test
    void emptyCounts_haveNoFirstSeen_andZeroRate() {
        LogCounts c = new LogCounts();
        assertThat(c.firstSeen()).isNull();
        assertThat(c.lastSeen()).isNull();
        assertThat(c.errorRate()).isZero();
    }

    @Test
    void mergeSumsCounts_andWidensTheSeenRange() {
        LogCounts a = new LogCounts().add(Level.INFO, T0 + 10).add(Level.WARN, T0 + 20);
        LogCounts b = new LogCounts().add(Level.INFO, T0 + 5).add(Level.ERROR, T0 + 30);
        a.merge(b);
        assertThat(a.count(Level.INFO)).isEqualTo(2);
        assertThat(a.count(Level.WARN)).isEqualTo(1);
        assertThat(a.errors()).isEqualTo(1);
        assertThat(a.firstSeen()).isEqualTo(T0 + 5);
        assertThat(a.lastSeen()).isEqualTo(T0 + 30);
    }

    @Test
    void mergingEmptyCounts_changesNothing() {
        LogCounts a = new LogCounts().add(Level.INFO, T0);
        LogCounts before = LogFlowSerdes.logCounts()
                .deserializer()
                .deserialize("t", LogFlowSerdes.logCounts().serializer().serialize("t", a));
        assertThat(a.merge(new LogCounts())).isEqualTo(before);
    }
}
