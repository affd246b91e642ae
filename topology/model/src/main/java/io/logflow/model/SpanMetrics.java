package io.logflow.model;

import java.util.Objects;

/**
 * RED metrics of a set of calls (spans of one service or operation, or calls along one dependency
 * edge) in one window: count, errors and a latency sketch. Mutable so that the Streams aggregator
 * updates it in place; mergeable exactly, so windows, partitions and instances can be summed.
 */
public final class SpanMetrics {
    private static final int VERSION = 1;

    private long count;
    private long errors;
    private final LatencySketch latency;

    private SpanMetrics(long count, long errors, LatencySketch latency) {
        this.count = count;
        this.errors = errors;
        this.latency = latency;
    }

    public static SpanMetrics empty() {
        return new SpanMetrics(0, 0, LatencySketch.create());
    }

    /** Counts one call. */
    public SpanMetrics add(long durationNanos, boolean error) {
        count++;
        if (error) errors++;
        latency.add(durationNanos);
        return this;
    }

    /** Adds the calls counted by {@code other}; {@code other} is unchanged. */
    public SpanMetrics merge(SpanMetrics other) {
        count += other.count;
        errors += other.errors;
        latency.merge(other.latency);
        return this;
    }

    public long count() {
        return count;
    }

    public long errors() {
        return errors;
    }

    /** errors / count, 0 when empty. */
    public double errorRate() {
        return count == 0 ? 0.0 : (double) errors / count;
    }

    /** The {@code q}-quantile of the durations in milliseconds (see {@link LatencySketch#quantileNanos}). */
    public double quantileMillis(double q) {
        return latency.quantileNanos(q) / 1_000_000.0;
    }

    /** A copy of the latency sketch (changing it does not change these metrics). */
    public LatencySketch latency() {
        return latency.copy();
    }

    public byte[] toBytes() {
        Binary.Writer w = new Binary.Writer(32);
        w.writeByte(VERSION).writeVarLong(count).writeVarLong(errors);
        latency.writeTo(w);
        return w.toByteArray();
    }

    public static SpanMetrics fromBytes(byte[] bytes) {
        Binary.Reader r = new Binary.Reader(bytes);
        int version = r.readByte();
        if (version != VERSION) throw new IllegalArgumentException("unknown SpanMetrics encoding version " + version);
        long count = r.readVarLong();
        long errors = r.readVarLong();
        return new SpanMetrics(count, errors, LatencySketch.readFrom(r));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpanMetrics m && count == m.count && errors == m.errors && latency.equals(m.latency);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, errors, latency);
    }

    @Override
    public String toString() {
        return "SpanMetrics[count=" + count + ", errors=" + errors + ", " + latency + "]";
    }
}
