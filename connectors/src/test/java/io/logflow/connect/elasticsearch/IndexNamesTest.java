package io.logflow.connect.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class IndexNamesTest {
    private final IndexNames logs = new IndexNames("logflow-logs");

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void dailyIndex_isTheUtcDay_changingExactlyAtUtcMidnight() {
        assertThat(logs.daily(at("2026-01-01T00:00:00Z"))).isEqualTo("logflow-logs-2026.01.01");
        assertThat(logs.daily(at("2026-01-01T23:59:59.999Z"))).isEqualTo("logflow-logs-2026.01.01");
        assertThat(logs.daily(at("2026-01-02T00:00:00Z"))).isEqualTo("logflow-logs-2026.01.02");
        assertThat(logs.daily(at("2025-12-31T23:59:59.999Z"))).isEqualTo("logflow-logs-2025.12.31");
        assertThat(logs.daily(at("2028-02-29T12:00:00Z"))).isEqualTo("logflow-logs-2028.02.29");
    }

    @Test
    void dailyIndex_doesNotDependOnTheMachinesTimeZone() {
        TimeZone saved = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati")); // UTC+14
            assertThat(logs.daily(at("2026-01-01T23:00:00Z"))).isEqualTo("logflow-logs-2026.01.01");
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Pago_Pago")); // UTC-11
            assertThat(logs.daily(at("2026-01-02T01:00:00Z"))).isEqualTo("logflow-logs-2026.01.02");
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void aliasTemplateAndPattern_comeFromThePrefix() {
        assertThat(logs.alias()).isEqualTo("logflow-logs");
        assertThat(logs.template()).isEqualTo("logflow-logs");
        assertThat(logs.pattern()).isEqualTo("logflow-logs-*");
    }

    @Test
    void day_isReadBackOnlyFromOurOwnDailyNames() {
        assertThat(logs.day("logflow-logs-2026.01.31")).contains(LocalDate.of(2026, 1, 31));
        assertThat(logs.day("logflow-logs-2026.02.30")).isEmpty();
        assertThat(logs.day("logflow-logs-2026.1.31")).isEmpty();
        assertThat(logs.day("logflow-logs-2026.01.31-restored")).isEmpty();
        assertThat(logs.day("logflow-logs")).isEmpty();
        assertThat(logs.day("logflow-spans-2026.01.31")).isEmpty();
        assertThat(logs.day("other-logflow-logs-2026.01.31")).isEmpty();
    }

    @Test
    void expired_areWholeDaysOlderThanRetention_todayAndTheNDaysBeforeAreKept() {
        LocalDate today = LocalDate.of(2026, 1, 10);
        List<String> indices = List.of(
                "logflow-logs-2026.01.10",
                "logflow-logs-2026.01.03",
                "logflow-logs-2026.01.02",
                "logflow-logs-2025.12.25",
                "logflow-logs-2026.01.11");
        assertThat(logs.expired(indices, today, 7))
                .containsExactly("logflow-logs-2025.12.25", "logflow-logs-2026.01.02");
        assertThat(logs.expired(indices, today, 1))
                .containsExactly("logflow-logs-2025.12.25", "logflow-logs-2026.01.02", "logflow-logs-2026.01.03");
    }

    @Test
    void expired_neverNamesAnIndexThatIsNotOurs_andNothingWithRetentionZero() {
        LocalDate today = LocalDate.of(2026, 1, 10);
        List<String> indices = List.of(
                "logflow-logs-archive", "logflow-logs-2020.01.01-copy", "logflow-spans-2020.01.01", "logflow-logs");
        assertThat(logs.expired(indices, today, 7)).isEmpty();
        assertThat(logs.expired(List.of("logflow-logs-2020.01.01"), today, 0)).isEmpty();
    }
}
