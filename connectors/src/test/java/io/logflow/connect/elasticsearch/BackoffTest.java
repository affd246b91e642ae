package io.logflow.connect.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromTheInitialDelay_upToTheMaximum() {
        Backoff b = new Backoff(100, 10_000);
        assertThat(b.delayMs(1)).isEqualTo(100);
        assertThat(b.delayMs(2)).isEqualTo(200);
        assertThat(b.delayMs(3)).isEqualTo(400);
        assertThat(b.delayMs(7)).isEqualTo(6_400);
        assertThat(b.delayMs(8)).isEqualTo(10_000);
        assertThat(b.delayMs(1_000)).isEqualTo(10_000);
        assertThat(b.delayMs(Integer.MAX_VALUE)).isEqualTo(10_000);
    }

    @Test
    void jitter_staysBetweenHalfAndAllOfTheDelay() {
        Backoff b = new Backoff(100, 10_000);
        assertThat(b.delayMs(3, 0.0)).isEqualTo(400);
        assertThat(b.delayMs(3, 0.5)).isEqualTo(300);
        assertThat(b.delayMs(3, 0.999_999)).isGreaterThanOrEqualTo(200);
    }

    @Test
    void refusesAMaximumBelowTheInitialDelay() {
        assertThatThrownBy(() -> new Backoff(100, 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(0, 50)).isInstanceOf(IllegalArgumentException.class);
    }
}
