package io.logflow.api.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.Level;
import io.logflow.model.LogCounts;
import io.logflow.model.LogRecord;
import io.logflow.model.TopErrors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergeTest {
  @Test
  void sumByKey_addsTheSameServiceFromSeveralParts() {
    Counts one = Counts.of(new LogCounts().add(Level.INFO, 1));
    Map<String, Counts> sum = Merge.sumByKey(List.of(Map.of("a", one, "b", one), Map.of("a", one)));
    assertThat(sum.get("a").total()).isEqualTo(2);
    assertThat(sum.get("b").total()).isEqualTo(1);
    assertThat(sum.keySet()).containsExactly("a", "b");
  }

  @Test
  void mergeErrors_sumsTemplates_keepsTheNewestExample_andTheMostFrequent() {
    var w1 = List.of(new TopErrors.Entry("timeout <n>", 3, "timeout 1", "t1", 100), new TopErrors.Entry("disk full", 1, "disk full", null, 50));
    var w2 = List.of(new TopErrors.Entry("timeout <n>", 2, "timeout 2", "t2", 200), new TopErrors.Entry("oom", 4, "oom", null, 10));
    List<TopErrors.Entry> merged = Merge.mergeErrors(List.of(w1, w2), 2);
    assertThat(merged).containsExactly(new TopErrors.Entry("timeout <n>", 5, "timeout 2", "t2", 200), new TopErrors.Entry("oom", 4, "oom", null, 10));
  }

  @Test
  void topErrorsAcrossServices_ranksByCount() {
    var byService = Map.of(
        "a", List.of(new TopErrors.Entry("x", 1, "x", null, 1)),
        "b", List.of(new TopErrors.Entry("y", 5, "y", null, 1), new TopErrors.Entry("z", 2, "z", null, 1)));
    assertThat(Merge.topErrorsAcrossServices(byService, 2)).extracting(Merge.ServiceError::template).containsExactly("y", "z");
  }

  @Test
  void mergeSorted_isNewestFirst_withEventIdBreakingTies() {
    LogRecord a = rec("a", 10);
    LogRecord b = rec("b", 30);
    LogRecord c = rec("c", 20);
    LogRecord d = rec("d", 30);
    assertThat(Merge.mergeSorted(List.of(List.of(b, a), List.of(d, c)), Merge.NEWEST_FIRST, 3)).containsExactly(b, d, c);
  }

  @Test
  void buckets_areAlignedToTheEpoch_andGapsFilled() {
    assertThat(Merge.bucketStart(125_000, 60_000)).isEqualTo(120_000);
    assertThat(Merge.bucketStart(-1, 60_000)).isEqualTo(-60_000);
    Counts one = Counts.of(new LogCounts().add(Level.INFO, 1));
    Map<Long, Counts> filled = Merge.fillBuckets(Map.of(120_000L, one), 65_000, 250_000, 60_000);
    assertThat(filled.keySet()).containsExactly(60_000L, 120_000L, 180_000L, 240_000L);
    assertThat(filled.get(120_000L)).isEqualTo(one);
    assertThat(filled.get(60_000L)).isEqualTo(Counts.EMPTY);
  }

  static LogRecord rec(String id, long ts) {
    return new LogRecord(id, ts, "s", Level.INFO, "m", null, null, null, null, Map.of());
  }
}
