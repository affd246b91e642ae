package io.logflow.api.query;

import static io.logflow.api.TestObjects.counts;
import static io.logflow.api.TestObjects.logCounts;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.Level;
import io.logflow.model.LogCounts;
import org.junit.jupiter.api.Test;

class CountsTest {
    @Test
    void copiesLogCounts_andSumsWithFirstAndLastSeen() {
        Counts a = Counts.of(new LogCounts().add(Level.INFO, 1000).add(Level.ERROR, 3000));
        Counts b = Counts.of(new LogCounts().add(Level.FATAL, 500).add(Level.INFO, 2000));
        Counts sum = a.plus(b);
        assertThat(sum.total()).isEqualTo(4);
        assertThat(sum.errors()).isEqualTo(2);
        assertThat(sum.errorRate()).isEqualTo(0.5);
        assertThat(sum.count(Level.INFO)).isEqualTo(2);
        assertThat(sum.firstSeen()).isEqualTo(500);
        assertThat(sum.lastSeen()).isEqualTo(3000);
    }

    @Test
    void of_keepsEachLevelsCount_andTheFirstAndLastTimes() {
        assertThat(Counts.of(logCounts(Level.WARN, Level.INFO, Level.WARN)))
                .isEqualTo(counts(Level.INFO, Level.WARN, Level.WARN));
        assertThat(Counts.of(logCounts(Level.WARN)).count(Level.WARN)).isEqualTo(1);
    }

    @Test
    void emptyCounts_haveNoTimes_andZeroRate() {
        Counts e = Counts.of(new LogCounts());
        assertThat(e).isEqualTo(Counts.EMPTY);
        assertThat(e.errorRate()).isZero();
        assertThat(e.view().firstSeen()).isNull();
        assertThat(Counts.EMPTY
                        .plus(Counts.of(new LogCounts().add(Level.WARN, 7)))
                        .firstSeen())
                .isEqualTo(7);
    }

    @Test
    void view_listsEveryLevel() {
        Counts.View v = Counts.of(new LogCounts().add(Level.DEBUG, 0)).view();
        assertThat(v.byLevel()).containsOnlyKeys("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
        assertThat(v.firstSeen()).isEqualTo("1970-01-01T00:00:00Z");
    }
}
