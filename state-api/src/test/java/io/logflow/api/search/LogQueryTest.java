package io.logflow.api.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.api.web.ApiException;
import io.logflow.model.Level;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

class LogQueryTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    static MultiValueMap<String, String> params(String... kv) {
        MultiValueMap<String, String> m = new LinkedMultiValueMap<>();
        for (int i = 0; i < kv.length; i += 2) m.add(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void defaultsAreTheLastFifteenMinutesNewestFirst() {
        LogQuery q = LogQuery.parse(params(), NOW);
        assertThat(q.q()).isEmpty();
        assertThat(q.to()).isEqualTo(NOW);
        assertThat(q.from()).isEqualTo(Instant.parse("2026-12-06T11:45:00Z"));
        assertThat(q.limit()).isEqualTo(50);
        assertThat(q.ascending()).isFalse();
        assertThat(q.cursor()).isNull();
    }

    @Test
    void everyParameter() {
        LogQuery q = LogQuery.parse(
                params(
                        "q",
                        " timeout ",
                        "service",
                        "checkout",
                        "level",
                        "warn",
                        "trace_id",
                        "4BF92F3577B34DA6A3CE929D0E0E4736",
                        "from",
                        "2026-12-06T10:00:00Z",
                        "to",
                        "2026-12-06T11:00:00Z",
                        "limit",
                        "7",
                        "sort",
                        "asc"),
                NOW);
        assertThat(q.q()).isEqualTo("timeout");
        assertThat(q.service()).isEqualTo("checkout");
        assertThat(q.level()).isEqualTo(Level.WARN);
        assertThat(q.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(q.limit()).isEqualTo(7);
        assertThat(q.ascending()).isTrue();
    }

    @Test
    void badParametersAreNamed() {
        record Case(String name, String value) {}
        for (Case c : List.of(
                new Case("limit", "0"),
                new Case("limit", "501"),
                new Case("sort", "sideways"),
                new Case("level", "LOUD"),
                new Case("trace_id", "xyz"),
                new Case("from", "yesterday"),
                new Case("q", "a\u0001b"),
                new Case("q", "x".repeat(4097)),
                new Case("cursor", "garbage"))) {
            assertThatThrownBy(() -> LogQuery.parse(params(c.name(), c.value()), NOW))
                    .as(c.name() + "=" + c.value())
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.getMessage()).contains(c.name()));
        }
        assertThatThrownBy(() -> LogQuery.parse(params("from", "2026-12-06T12:00:01Z"), NOW))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void aCursorKeepsTheFirstPagesRangeAndMustBelongToTheQuery() {
        LogQuery first = LogQuery.parse(params("q", "boom", "limit", "10"), NOW);
        String cursor = new Cursor(
                        "p",
                        List.of(1L, "e"),
                        first.from().toEpochMilli(),
                        first.to().toEpochMilli(),
                        first.fingerprint())
                .encode();
        LogQuery next = LogQuery.parse(params("q", "boom", "limit", "10", "cursor", cursor), NOW.plusSeconds(60));
        assertThat(next.from()).isEqualTo(first.from());
        assertThat(next.to()).isEqualTo(first.to());
        assertThat(next.cursor().after()).containsExactly(1L, "e");
        assertThatThrownBy(() -> LogQuery.parse(params("q", "other", "limit", "10", "cursor", cursor), NOW))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.getMessage()).contains("another query"));
    }

    @Test
    void aFirstPagesCacheKey_isTheQueryAsParsed_soSpellingsOfOneSearchShareIt() {
        var defaults = params("q", "timeout");
        var spelled = params("q", " timeout ", "sort", "newest", "limit", "50", "level", "");
        assertThat(LogQuery.parse(spelled, NOW).cacheKey(spelled).toString())
                .isEqualTo(LogQuery.parse(defaults, NOW).cacheKey(defaults).toString())
                .startsWith("search (live) ")
                .contains("q=timeout", "limit=50", "sort=desc");
        var warn = params("q", "timeout", "level", "warn");
        assertThat(LogQuery.parse(warn, NOW).cacheKey(warn).toString())
                .contains("level=WARN")
                .isNotEqualTo(LogQuery.parse(defaults, NOW).cacheKey(defaults).toString());
    }
}
