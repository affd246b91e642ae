package io.logflow.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delays_doubleFrom500ms_withinPlusMinus20Percent_cappedAt30s() {
        long[] base = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
        Backoff b = new Backoff(new Random(42));
        for (int round = 0; round < 200; round++) {
            for (int attempt = 1; attempt <= base.length; attempt++) {
                long ms = b.delay(attempt).toMillis();
                long low = Math.round(base[attempt - 1] * 0.8);
                long high = Math.min(30_000, Math.round(base[attempt - 1] * 1.2));
                assertThat(ms).as("attempt %d", attempt).isBetween(low, high);
            }
        }
        assertThat(b.delay(1_000).toMillis()).isBetween(24_000L, 30_000L);
        assertThat(b.delay(Integer.MAX_VALUE).toMillis()).isBetween(24_000L, 30_000L);
    }

    @Test
    void theJitter_actuallyVaries_andFollowsTheSeed() {
        Backoff a = new Backoff(new Random(7));
        Backoff b = new Backoff(new Random(7));
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (int i = 0; i < 500; i++) {
            long d = a.delay(3).toMillis();
            assertThat(b.delay(3).toMillis()).isEqualTo(d);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isLessThan(1700);
        assertThat(max).isGreaterThan(2300);
    }

    @Test
    void withoutJitter_delaysAreExact() {
        Backoff b = new Backoff(Duration.ofMillis(100), 3, Duration.ofSeconds(1), 0, 4, new Random());
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(300));
        assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(900));
        assertThat(b.delay(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.maxAttempts()).isEqualTo(4);
    }

    @Test
    void defaults_andArguments() {
        assertThat(new Backoff(new Random()).maxAttempts()).isEqualTo(6);
        assertThatThrownBy(() -> new Backoff(new Random()).delay(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, 2, Duration.ofSeconds(1), 0.2, 3, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 0.2, 3, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(2), 0.2, 3, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(2), 1, 3, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(2), 0.2, 0, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
