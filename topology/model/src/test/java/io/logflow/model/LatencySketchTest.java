package io.logflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LatencySketchTest {
    private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999};
    private static final int N = 100_000;

    static Stream<Arguments> distributions() {
        return Stream.of(
                Arguments.of("uniform 1..100 ms", draw(1, r -> 1_000_000L + r.nextLong(99_000_000L))),
                Arguments.of("log-normal around 5 ms", draw(2, r ->
                        (long) Math.exp(Math.log(5e6) + 1.5 * r.nextGaussian()))),
                Arguments.of("bimodal 2 ms / 2 s", draw(3, r ->
                        (long) ((r.nextDouble() < 0.7 ? 2e6 : 2e9) * (1 + 0.1 * r.nextGaussian())))),
                Arguments.of("all equal", draw(4, r -> 42_000_000L)),
                Arguments.of("a few nanoseconds", draw(5, r -> 1 + r.nextLong(1000))));
    }

    private interface Source {
        long next(Random r);
    }

    private static long[] draw(long seed, Source source) {
        Random r = new Random(seed);
        long[] values = new long[N];
        for (int i = 0; i < N; i++) values[i] = Math.max(1, source.next(r));
        return values;
    }

    /** The smallest value with at least q * n values at or below it. */
    private static long exact(long[] sorted, double q) {
        int rank = (int) Math.max(1, Math.min(sorted.length, Math.ceil(q * sorted.length)));
        return sorted[rank - 1];
    }

    private static LatencySketch sketch(long[] values, int from, int to) {
        LatencySketch s = LatencySketch.create();
        for (int i = from; i < to; i++) s.add(values[i]);
        return s;
    }

    private static void assertQuantilesWithinOnePercent(String name, LatencySketch sketch, long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        assertThat(sketch.count()).isEqualTo(values.length);
        for (double q : QUANTILES) {
            assertThat(sketch.quantileNanos(q))
                    .as("%s p%s", name, q * 100)
                    .isCloseTo(exact(sorted, q), withinPercentage(1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributions")
    void quantilesAreWithinOnePercent_ofTheExactNearestRank(String name, long[] values) {
        assertQuantilesWithinOnePercent(name, sketch(values, 0, values.length), values);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributions")
    void sevenPartialSketches_throughBytes_mergeToTheSameAccuracy(String name, long[] values) {
        LatencySketch merged = LatencySketch.create();
        for (int part = 0; part < 7; part++) {
            LatencySketch partial = sketch(values, part * values.length / 7, (part + 1) * values.length / 7);
            merged.merge(LatencySketch.fromBytes(partial.toBytes()));
        }
        assertQuantilesWithinOnePercent(name, merged, values);
        assertThat(merged).isEqualTo(sketch(values, 0, values.length));
    }

    @Test
    void quantileIsTheNearestRank_atAModeBoundary() {
        LatencySketch s = LatencySketch.create();
        for (int i = 0; i < 9; i++) s.add(1_000_000);
        s.add(1_000_000_000);
        assertThat(s.quantileNanos(0.9)).isCloseTo(1e6, withinPercentage(0.5)); // 9 of 10 values are at most 1 ms
        assertThat(s.quantileNanos(0.95)).isCloseTo(1e9, withinPercentage(0.5)); // 95% needs the 10th
        assertThat(s.quantileNanos(0)).isCloseTo(1e6, withinPercentage(0.5));
    }

    @Test
    void emptySketch_countsNothing_andAnswersZero() {
        LatencySketch s = LatencySketch.fromBytes(LatencySketch.create().toBytes());
        assertThat(s.count()).isZero();
        assertThat(s.quantileNanos(0.99)).isZero();
    }

    @Test
    void zeroAndNegativeValues_countAsZero() {
        LatencySketch s = LatencySketch.create();
        s.add(0);
        s.add(-5);
        s.add(1_000_000);
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.quantileNanos(0.5)).isZero();
        assertThat(s.quantileNanos(1.0)).isCloseTo(1e6, withinPercentage(0.5));
        assertThat(LatencySketch.fromBytes(s.toBytes())).isEqualTo(s);
        assertThat(LatencySketch.fromBytes(s.toBytes()).quantileNanos(0.5)).isZero();
    }

    @Test
    void quantileOutsideZeroToOne_isRefused() {
        assertThatThrownBy(() -> LatencySketch.create().quantileNanos(1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencySketch.create().quantileNanos(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void memoryIsBounded_collapsingTheLowestValues_whileUpperQuantilesStayAccurate() {
        long[] values = draw(6, r -> (long) Math.exp(r.nextDouble() * Math.log(1e15))); // 1 ns to 11 days, log-uniform
        LatencySketch s = sketch(values, 0, values.length);
        assertThat(s.binCount()).isLessThanOrEqualTo(LatencySketch.MAX_BINS);
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        for (double q : new double[] {0.5, 0.99, 0.999}) {
            assertThat(s.quantileNanos(q)).isCloseTo(exact(sorted, q), withinPercentage(1));
        }
        // the bins cover ~7.8e8 below the largest value: the smallest values are reported much larger
        assertThat(s.quantileNanos(0.01)).isGreaterThan(1000.0 * exact(sorted, 0.01));
        assertThat(LatencySketch.fromBytes(s.toBytes())).isEqualTo(s);
    }

    @Test
    void encodingIsCompact_aFewBytesPerNonEmptyBin() {
        LatencySketch s = sketch(draw(2, r -> (long) Math.exp(Math.log(5e6) + 1.5 * r.nextGaussian())), 0, N);
        assertThat(s.toBytes().length).isLessThanOrEqualTo(8 + 4 * s.binCount());
    }

    @Test
    void refusesAnUnknownVersion() {
        byte[] bytes = LatencySketch.create().toBytes();
        bytes[0] = 99;
        assertThatThrownBy(() -> LatencySketch.fromBytes(bytes)).hasMessageContaining("version 99");
    }

    @Test
    void copyIsIndependent_andMergingWithItselfDoubles() {
        LatencySketch s = LatencySketch.create();
        s.add(5_000_000);
        LatencySketch copy = s.copy();
        copy.add(9_000_000);
        assertThat(s.count()).isEqualTo(1);
        assertThat(copy.count()).isEqualTo(2);
        s.merge(s);
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.quantileNanos(1.0)).isCloseTo(5e6, withinPercentage(0.5));
    }
}
