package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.normalize.LogNormalizer;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrafficGeneratorTest {
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    @Test
    void everyLog_normalisesToTheServiceLevelTimeAndTraceItWasGeneratedWith() {
        TrafficGenerator gen = new TrafficGenerator(20, 0.1, 42);
        for (int i = 0; i < 2_000; i++) {
            TrafficGenerator.Request req = gen.next(T0 + i * 10L);
            for (TrafficGenerator.Log log : req.logs()) {
                LogNormalizer.Result r = LogNormalizer.normalize(log.json(), "e" + i, T0 + i * 10L);
                assertThat(r).as(new String(log.json())).isInstanceOf(LogNormalizer.Accepted.class);
                LogRecord rec = ((LogNormalizer.Accepted) r).log();
                assertThat(rec.service()).isEqualTo(log.service());
                assertThat(rec.level()).isEqualTo(log.level());
                assertThat(rec.timestamp()).isEqualTo(log.timestamp());
                assertThat(rec.traceId()).isEqualTo(req.traceId());
                assertThat(rec.message()).isEqualTo(log.message());
            }
        }
    }

    @Test
    void everyRequest_spansThreeOrMoreServices_inStrictTimeOrder() {
        for (int services = TrafficGenerator.MIN_SERVICES; services <= TrafficGenerator.MAX_SERVICES; services++) {
            TrafficGenerator gen = new TrafficGenerator(services, 0, services);
            for (int i = 0; i < 300; i++) {
                TrafficGenerator.Request req = gen.next(T0);
                assertThat(req.services())
                        .hasSizeGreaterThanOrEqualTo(3)
                        .first()
                        .isEqualTo("gateway");
                assertThat(gen.services()).containsAll(req.services());
                for (int j = 1; j < req.logs().size(); j++) {
                    assertThat(req.logs().get(j).timestamp())
                            .isGreaterThan(req.logs().get(j - 1).timestamp());
                }
            }
        }
    }

    @Test
    void usesEveryService_andEveryShipperShape() {
        TrafficGenerator gen = new TrafficGenerator(20, 0.05, 7);
        Set<String> seen = new HashSet<>();
        Set<String> timeFields = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            for (TrafficGenerator.Log log : gen.next(T0 + i).logs()) {
                seen.add(log.service());
                String json = new String(log.json());
                for (String f : new String[] {"\"@timestamp\"", "\"timestamp\"", "\"time\""})
                    if (json.contains(f)) timeFields.add(f);
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(TrafficGenerator.SERVICE_NAMES);
        assertThat(timeFields).hasSize(3);
    }

    @Test
    void failureRate_followsTheErrorRatio_withEveryLevel() {
        TrafficGenerator gen = new TrafficGenerator(8, 0.1, 3);
        int failed = 0;
        int n = 50_000;
        Map<Level, Integer> levels = new EnumMap<>(Level.class);
        for (int i = 0; i < n; i++) {
            TrafficGenerator.Request req = gen.next(T0 + i * 20L); // 50 requests/s of event time
            if (req.failed()) failed++;
            for (TrafficGenerator.Log l : req.logs()) levels.merge(l.level(), 1, Integer::sum);
        }
        assertThat(failed / (double) n).isBetween(0.05, 0.15);
        assertThat(levels.keySet()).contains(Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR, Level.FATAL);
    }

    @Test
    void noErrors_whenTheRatioIsZero() {
        TrafficGenerator gen = new TrafficGenerator(5, 0, 1);
        for (int i = 0; i < 5_000; i++)
            assertThat(gen.next(T0 + i * 20L).failed()).isFalse();
    }

    @Test
    void rejectsOutOfRangeOptions() {
        assertThatThrownBy(() -> new TrafficGenerator(2, 0.1, 1)).hasMessageContaining("services");
        assertThatThrownBy(() -> new TrafficGenerator(21, 0.1, 1)).hasMessageContaining("services");
        assertThatThrownBy(() -> new TrafficGenerator(5, 1.5, 1)).hasMessageContaining("error ratio");
    }
}
