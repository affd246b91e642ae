package io.logflow.model;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import java.util.Arrays;
import java.util.Iterator;

/**
 * A mergeable latency quantile sketch: a DDSketch with 0.5% relative accuracy, so that per-window,
 * per-partition and per-instance latencies can be summed exactly and still give percentiles.
 *
 * <p>Accuracy: {@link #quantileNanos} returns the nearest-rank quantile (the smallest value with at
 * least {@code q * count} values at or below it) within 0.5% of its exact value.
 *
 * <p>Memory is bounded to {@link #MAX_BINS} bins. One bin spans a factor of about 1.01, so the bins
 * cover a ratio of about 7.8·10^8 between the largest and the smallest value kept apart (say 1 µs to
 * 13 minutes). When a sketch sees a wider range, its lowest bins are collapsed into one: quantiles
 * that fall among those smallest values are over-estimated, the upper quantiles (the ones latency
 * questions are about) keep their guarantee.
 *
 * <p>Values of 0 or less (clock skew, zero-length spans) are counted in a zero bucket and read back
 * as 0.
 */
public final class LatencySketch {
    static final double RELATIVE_ACCURACY = 0.005;
    static final int MAX_BINS = 2048;
    private static final int VERSION = 1;
    // Memory-optimal mapping; every encoding relies on it, so changing it means a new VERSION.
    private static final IndexMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);

    private final DDSketch sketch;

    private LatencySketch(DDSketch sketch) {
        this.sketch = sketch;
    }

    public static LatencySketch create() {
        return new LatencySketch(new DDSketch(MAPPING, () -> new CollapsingLowestDenseStore(MAX_BINS)));
    }

    /** Counts one latency; values of 0 or less go to the zero bucket. */
    public void add(long nanos) {
        sketch.accept(nanos <= 0 ? 0.0 : (double) nanos);
    }

    /** Adds every value counted by {@code other} to this sketch; {@code other} is unchanged. */
    public void merge(LatencySketch other) {
        sketch.mergeWith(other == this ? other.sketch.copy() : other.sketch);
    }

    public long count() {
        return Math.round(sketch.getCount());
    }

    /**
     * The nearest-rank {@code q}-quantile in nanoseconds, within 0.5% of the exact value; 0 when empty.
     *
     * @param q between 0 and 1
     */
    public double quantileNanos(double q) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile must be within [0, 1]: " + q);
        long n = count();
        if (n == 0) return 0;
        long rank = Math.max(1, Math.min(n, (long) Math.ceil(q * n)));
        long seen = zeroCount();
        if (rank <= seen) return 0;
        double last = 0;
        for (Iterator<Bin> it = sketch.getPositiveValueStore().getAscendingIterator(); it.hasNext(); ) {
            Bin bin = it.next();
            seen += Math.round(bin.getCount());
            last = MAPPING.value(bin.getIndex());
            if (seen >= rank) return last;
        }
        return last;
    }

    public LatencySketch copy() {
        return new LatencySketch(sketch.copy());
    }

    private long zeroCount() {
        return count() - Math.round(sketch.getPositiveValueStore().getTotalCount());
    }

    /** Number of non-empty bins (for tests of the memory bound). */
    int binCount() {
        int bins = 0;
        for (Iterator<Bin> it = sketch.getPositiveValueStore().getAscendingIterator(); it.hasNext(); ) {
            if (it.next().getCount() > 0) bins++;
        }
        return bins;
    }

    public byte[] toBytes() {
        Binary.Writer w = new Binary.Writer(16);
        writeTo(w);
        return w.toByteArray();
    }

    public static LatencySketch fromBytes(byte[] bytes) {
        return readFrom(new Binary.Reader(bytes));
    }

    /**
     * Version, zero count, number of non-empty bins, then per bin (ascending) the index as a delta
     * from the previous one and the count, all varints: a few bytes per bin.
     */
    void writeTo(Binary.Writer w) {
        w.writeByte(VERSION).writeVarLong(zeroCount()).writeVarInt(binCount());
        int previous = 0;
        for (Iterator<Bin> it = sketch.getPositiveValueStore().getAscendingIterator(); it.hasNext(); ) {
            Bin bin = it.next();
            if (bin.getCount() <= 0) continue;
            w.writeVarInt(bin.getIndex() - previous).writeVarLong(Math.round(bin.getCount()));
            previous = bin.getIndex();
        }
    }

    static LatencySketch readFrom(Binary.Reader r) {
        int version = r.readByte();
        if (version != VERSION) throw new IllegalArgumentException("unknown LatencySketch encoding version " + version);
        LatencySketch s = create();
        long zeros = r.readVarLong();
        if (zeros > 0) s.sketch.accept(0.0, zeros);
        int bins = r.readVarInt();
        int index = 0;
        for (int i = 0; i < bins; i++) {
            index += r.readVarInt();
            long count = r.readVarLong();
            if (count <= 0) throw new IllegalArgumentException("LatencySketch bin count must be positive: " + count);
            s.sketch.getPositiveValueStore().add(index, (double) count);
        }
        return s;
    }

    /** Equal when they count the same values in the same bins. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LatencySketch s && Arrays.equals(toBytes(), s.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        return "LatencySketch[count=" + count() + ", p50=" + quantileNanos(0.5) + ", p99=" + quantileNanos(0.99) + "]";
    }
}
