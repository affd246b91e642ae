package io.logflow.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RateWindowTest {
    final RateWindow window = new RateWindow(60_000, 5_000);

    @Test
    void rate_isTheGrowthPerSecond_overTheLastMinute() {
        assertThat(window.update(0, Map.of("api", 0.0))).containsEntry("api", new RateWindow.Rate(0, 0));
        window.update(30_000, Map.of("api", 300.0));
        // not a minute old yet: since the first snapshot
        assertThat(window.update(40_000, Map.of("api", 400.0))).containsEntry("api", new RateWindow.Rate(400, 10));
        window.update(60_000, Map.of("api", 600.0));
        // 90 s: the newest snapshot at least a minute old is the one at 30 s
        assertThat(window.update(90_000, Map.of("api", 600.0))).containsEntry("api", new RateWindow.Rate(600, 5));
        // 200 s: only the snapshot of 90 s is older than a minute
        assertThat(window.update(200_000, Map.of("api", 655.0))).containsEntry("api", new RateWindow.Rate(655, 0.5));
    }

    @Test
    void aNewCounter_countsFromZero_andOneThatWentDown_countsFromZeroAgain() {
        window.update(0, Map.of("a", 100.0));
        assertThat(window.update(10_000, Map.of("a", 20.0, "b", 50.0)))
                .containsEntry("a", new RateWindow.Rate(20, 2))
                .containsEntry("b", new RateWindow.Rate(50, 5));
    }

    @Test
    void readsInABurst_keepOnlySpacedSnapshots() {
        window.update(0, Map.of("a", 0.0));
        window.update(1_000, Map.of("a", 10.0)); // not kept: too close
        assertThat(window.update(2_000, Map.of("a", 20.0))).containsEntry("a", new RateWindow.Rate(20, 10));
    }
}
