package io.logflow.api.query;

import static io.logflow.api.TestObjects.GATEWAY;
import static io.logflow.api.TestObjects.ORDERS;
import static io.logflow.api.TestObjects.TIMEOUT;
import static io.logflow.api.TestObjects.counts;
import static io.logflow.api.TestObjects.error;
import static io.logflow.api.TestObjects.log;
import static io.logflow.model.Level.INFO;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.LogRecord;
import io.logflow.model.TopErrors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergeTest {
    @Test
    void sumByKey_addsTheSameServiceFromSeveralParts() {
        Counts one = counts(INFO);
        Map<String, Counts> sum = Merge.sumByKey(List.of(Map.of(ORDERS, one, GATEWAY, one), Map.of(ORDERS, one)));
        assertThat(sum.get(ORDERS).total()).isEqualTo(2);
        assertThat(sum.get(GATEWAY).total()).isEqualTo(1);
        assertThat(sum.keySet()).containsExactly(GATEWAY, ORDERS);
    }

    @Test
    void sumBucketsByKey_addsTheSameBucketOfTheSameServiceFromSeveralParts() {
        Counts one = counts(INFO);
        Map<String, Map<Long, Counts>> sum = Merge.sumBucketsByKey(List.of(
                Map.of(ORDERS, Map.of(0L, one, 60_000L, one), GATEWAY, Map.of(0L, one)),
                Map.of(ORDERS, Map.of(0L, one))));
        assertThat(sum.keySet()).containsExactly(GATEWAY, ORDERS);
        assertThat(sum.get(ORDERS).get(0L).total()).isEqualTo(2);
        assertThat(sum.get(ORDERS).get(60_000L).total()).isEqualTo(1);
        assertThat(sum.get(GATEWAY).get(0L).total()).isEqualTo(1);
        assertThat(sum.get(GATEWAY)).doesNotContainKey(60_000L);
    }

    @Test
    void mergeErrors_sumsTemplates_keepsTheNewestExample_andTheMostFrequent() {
        var w1 = List.of(new TopErrors.Entry("timeout <n>", 3, "timeout 1", "t1", 100), error("disk full", 1, 50));
        var w2 = List.of(new TopErrors.Entry("timeout <n>", 2, "timeout 2", "t2", 200), error("oom", 4, 10));
        List<TopErrors.Entry> merged = Merge.mergeErrors(List.of(w1, w2), 2);
        assertThat(merged)
                .containsExactly(new TopErrors.Entry("timeout <n>", 5, "timeout 2", "t2", 200), error("oom", 4, 10));
    }

    @Test
    void topErrorsAcrossServices_ranksByCount() {
        var byService = Map.of(
                GATEWAY, List.of(error("x", 1, 0)), ORDERS, List.of(error("y", 5, 0), error("z", 2, 0), TIMEOUT));
        assertThat(Merge.topErrorsAcrossServices(byService, 2))
                .extracting(Merge.ServiceError::template)
                .containsExactly("y", "timeout after <n>s");
    }

    @Test
    void mergeSorted_isNewestFirst_withEventIdBreakingTies() {
        LogRecord a = rec("a", 10);
        LogRecord b = rec("b", 30);
        LogRecord c = rec("c", 20);
        LogRecord d = rec("d", 30);
        assertThat(Merge.mergeSorted(List.of(List.of(b, a), List.of(d, c)), Merge.NEWEST_FIRST, 3))
                .containsExactly(b, d, c);
    }

    @Test
    void buckets_areAlignedToTheEpoch_andGapsFilled() {
        assertThat(Merge.bucketStart(125_000, 60_000)).isEqualTo(120_000);
        assertThat(Merge.bucketStart(-1, 60_000)).isEqualTo(-60_000);
        Counts one = counts(INFO);
        Map<Long, Counts> filled = Merge.fillBuckets(Map.of(120_000L, one), 65_000, 250_000, 60_000);
        assertThat(filled.keySet()).containsExactly(60_000L, 120_000L, 180_000L, 240_000L);
        assertThat(filled.get(120_000L)).isEqualTo(one);
        assertThat(filled.get(60_000L)).isEqualTo(Counts.EMPTY);
    }

    static LogRecord rec(String id, long offsetMs) {
        return log(id, offsetMs, ORDERS, INFO, "m", null);
    }
}
