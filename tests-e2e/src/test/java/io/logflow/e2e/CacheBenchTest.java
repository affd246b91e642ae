package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheBenchTest {
    @Test
    void compare_givesBothPhases_andHowManyTimesFasterTheCachedOneIs() {
        Bench.Latency uncached = new Bench.Latency(1000, 0, Map.of(), 100, 8.0, 60.0, 90.0, 8.0, 60.0);
        Bench.Latency cached = new Bench.Latency(4000, 1, Map.of("HTTP 503", 1L), 400, 2.0, 12.0, 30.0, 2.0, 12.0);

        Map<String, Object> m = CacheBench.compare(uncached, cached);

        assertThat(m)
                .containsEntry("p50_uncached_to_cached", 4.0)
                .containsEntry("p99_uncached_to_cached", 5.0)
                .containsEntry("throughput_cached_to_uncached", 4.0);
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) m.get("cached");
        assertThat(c).containsEntry("p50_ms", 2.0).containsEntry("p99_ms", 12.0).containsEntry("errors", 1L);
    }
}
