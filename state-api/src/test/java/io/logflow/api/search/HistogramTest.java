package io.logflow.api.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HistogramTest {
    @Test
    void atMostSixtyBucketsOfTheSmallestFittingWidth() {
        assertThat(Histogram.forRange(Duration.ofMinutes(15)).label()).isEqualTo("15s");
        assertThat(Histogram.forRange(Duration.ofHours(1)).label()).isEqualTo("1m");
        assertThat(Histogram.forRange(Duration.ofHours(24)).label()).isEqualTo("30m");
        assertThat(Histogram.forRange(Duration.ofDays(7)).label()).isEqualTo("3h");
        assertThat(Histogram.forRange(Duration.ofSeconds(30)).label()).isEqualTo("1s");
        assertThat(Histogram.forRange(Duration.ofMinutes(15).plusMillis(1)).label())
                .isEqualTo("30s");
        assertThat(Histogram.forRange(Duration.ofDays(3650)).label()).isEqualTo("30d");
    }
}
