package io.logflow.api.cache;

import static io.logflow.api.TestObjects.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CacheKeyTest {
    static final String PREFIX = CacheKey.prefix("logflow-test");
    static final Duration GRACE = Duration.ofSeconds(30);
    static final Duration LIVE = Duration.ofSeconds(2);
    static final Duration CLOSED = Duration.ofMinutes(10);
    /** 10:00:40 on a day: the open minute started at 10:00:00. */
    static final Instant NOW = Instant.parse("2026-12-07T10:00:40Z");

    static CacheKey.Entry entry(CacheKey key, Instant now) {
        return key.entry(PREFIX, now, GRACE, LIVE, CLOSED);
    }

    @Test
    void parameters_inAnyOrder_areOneKey_underTheDeploymentsPrefix_withTheFormatVersion() {
        var a = entry(CacheKey.of("service").with("name", "checkout").with("minutes", 15), NOW);
        var b = entry(CacheKey.of("service").with("minutes", 15).with("name", "checkout"), NOW);
        assertThat(a).isEqualTo(b);
        assertThat(a.key()).startsWith("logflow:cache:logflow-test:v" + CacheKey.FORMAT + ":service?");
        assertThat(a.key()).contains("minutes=15").contains("name=checkout");
    }

    @Test
    void anotherDeployment_orAnotherEndpoint_orAnotherValue_isAnotherKey() {
        CacheKey key = CacheKey.of("overview").with("minutes", 15);
        String mine = entry(key, NOW).key();
        assertThat(key.entry(CacheKey.prefix("other"), NOW, GRACE, LIVE, CLOSED).key())
                .isNotEqualTo(mine);
        assertThat(entry(CacheKey.of("operations").with("minutes", 15), NOW).key())
                .isNotEqualTo(mine);
        assertThat(entry(CacheKey.of("overview").with("minutes", 16), NOW).key())
                .isNotEqualTo(mine);
    }

    @Test
    void aNullParameter_isLeftOut_andAnInstant_isItsEpochMillis() {
        Instant from = Instant.parse("2026-12-07T09:00:00Z");
        var a = entry(CacheKey.of("x").with("service", null).with("from", from), NOW);
        var b = entry(CacheKey.of("x").with("from", from.toEpochMilli()), NOW);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void valuesThatLookLikeSeparators_doNotMakeTwoQueriesOneKey() {
        var a = entry(CacheKey.of("search").with("q", "a&b=c"), NOW);
        var b = entry(CacheKey.of("search").with("q", "a").with("b", "c"), NOW);
        assertThat(a.key()).isNotEqualTo(b.key());
    }

    @Test
    void aLongQuery_isHashed_intoAKeyOfBoundedLength() {
        String q = "x".repeat(4096);
        var a = entry(CacheKey.of("search").with("q", q), NOW);
        assertThat(a.key().length()).isLessThan(PREFIX.length() + 100);
        assertThat(entry(CacheKey.of("search").with("q", q + "y"), NOW).key()).isNotEqualTo(a.key());
        assertThat(entry(CacheKey.of("search").with("q", q), NOW)).isEqualTo(a);
    }

    @Test
    void aRangeEndingNow_isShortLived_andSharedWithinOneSlotOfTheShortTtl_only() {
        CacheKey key = CacheKey.of("overview").with("minutes", 15);
        Instant slotStart = Instant.ofEpochMilli(NOW.toEpochMilli() / 2000 * 2000);
        var first = entry(key, slotStart);
        assertThat(first.ttl()).isEqualTo(LIVE);
        assertThat(entry(key, slotStart.plusMillis(1999))).isEqualTo(first);
        assertThat(entry(key, slotStart.plusMillis(2000)).key()).isNotEqualTo(first.key());
        assertThat(entry(key, slotStart.minusMillis(1)).key()).isNotEqualTo(first.key());
    }

    @Test
    void aRangeEndingInAClosedWindow_isLongLived_andTheSameKeyWhateverNow() {
        Instant from = Instant.parse("2026-12-07T09:00:00Z");
        Instant to = Instant.parse("2026-12-07T09:30:00Z");
        CacheKey key = CacheKey.of("timeseries").range(query("from", "" + from, "to", "" + to), from, to);
        var e = entry(key, NOW);
        assertThat(e.ttl()).isEqualTo(CLOSED);
        assertThat(entry(key, NOW.plusSeconds(300))).isEqualTo(e);
    }

    @Test
    void aWindow_isClosed_onceItsGraceHasPassed_notAtItsEnd() {
        // 'to' at 09:59:10: its window [09:59, 10:00) ends at 10:00:00 and takes late logs until 10:00:30
        Instant to = Instant.parse("2026-12-07T09:59:10Z");
        assertThat(CacheKey.closed(to, Instant.parse("2026-12-07T10:00:29.999Z"), GRACE))
                .isFalse();
        assertThat(CacheKey.closed(to, Instant.parse("2026-12-07T10:00:30Z"), GRACE))
                .isTrue();
        // without grace: closed as soon as the minute holding 'to' is not the open one
        assertThat(CacheKey.closed(to, Instant.parse("2026-12-07T10:00:00Z"), Duration.ZERO))
                .isTrue();
        assertThat(CacheKey.closed(to, Instant.parse("2026-12-07T09:59:59.999Z"), Duration.ZERO))
                .isFalse();
    }

    @Test
    void aRangeEndingInTheOpenMinute_orInTheFuture_isShortLived() {
        Instant from = Instant.parse("2026-12-07T09:00:00Z");
        for (Instant to : new Instant[] {NOW, NOW.minusSeconds(30), NOW.plusSeconds(3600)}) {
            CacheKey key = CacheKey.of("dependencies").range(query("to", "" + to), from, to);
            assertThat(entry(key, NOW).ttl()).as("to " + to).isEqualTo(LIVE);
        }
    }

    @Test
    void aRangeWithoutTo_followsNow_andKeepsAGivenFrom_inAnySpelling() {
        Instant from = Instant.parse("2026-12-07T09:00:00Z");
        CacheKey withFrom = CacheKey.of("timeseries").range(query("from", "1796634000000"), from, NOW);
        CacheKey isoFrom = CacheKey.of("timeseries").range(query("from", "2026-12-07T09:00:00Z"), from, NOW);
        var e = entry(withFrom, NOW);
        assertThat(e.ttl()).isEqualTo(LIVE);
        assertThat(e.key()).contains("from=" + from.toEpochMilli() + "&").doesNotContain("to=");
        assertThat(entry(isoFrom, NOW)).isEqualTo(e);
        // neither given (a blank one is not given): both follow now, which the slot in the key stands for
        var neither = entry(CacheKey.of("timeseries").range(query("to", " "), from, NOW), NOW);
        assertThat(neither.key()).doesNotContain("from=").doesNotContain("to=").contains("now=s");
    }

    @Test
    void givenRangesASecondApart_areTwoEntries_evenWithinOneSlot() {
        // a search over [base - 1 s, base + 15 min] and one over [base, base + 15 min] have other histograms
        Instant slotStart = Instant.ofEpochMilli(NOW.toEpochMilli() / 2000 * 2000);
        java.util.function.BiFunction<Instant, Instant, CacheKey.Entry> asked = (from, to) -> entry(
                CacheKey.of("search")
                        .range(query("from", "" + from, "to", "" + to), from, to)
                        .live(),
                slotStart);
        Instant base = slotStart.minusSeconds(600);
        var wider = asked.apply(base.minusSeconds(1), base.plusSeconds(900));
        var exact = asked.apply(base, base.plusSeconds(900));
        assertThat(wider.key()).isNotEqualTo(exact.key());
        assertThat(asked.apply(base, base.plusSeconds(900))).isEqualTo(exact);
    }

    @Test
    void aLiveKey_isShortLived_evenForAClosedRange() {
        Instant from = Instant.parse("2026-12-07T09:00:00Z");
        Instant to = Instant.parse("2026-12-07T09:30:00Z");
        CacheKey key = CacheKey.of("search")
                .range(query("from", "" + from, "to", "" + to), from, to)
                .live();
        assertThat(entry(key, NOW).ttl()).isEqualTo(LIVE);
    }

    @Test
    void theScanPattern_coversEveryFormatOfOneDeployment_only() {
        assertThat(CacheKey.pattern("logflow")).isEqualTo("logflow:cache:logflow:*");
        assertThat(CacheKey.prefix("logflow")).startsWith("logflow:cache:logflow:");
        assertThat(CacheKey.pattern("a*b")).isEqualTo("logflow:cache:a\\*b:*");
    }
}
