/**
 * LogFlow's shared types: the normalised records ({@link io.logflow.model.LogRecord}, {@link
 * io.logflow.model.SpanRecord}, {@link io.logflow.model.Level}), the aggregates kept in state stores
 * ({@link io.logflow.model.LogCounts}, {@link io.logflow.model.TopErrors}, {@link
 * io.logflow.model.SpanMetrics}, {@link io.logflow.model.LatencySketch}, {@link
 * io.logflow.model.TraceState}, {@link io.logflow.model.TraceSummary}, {@link
 * io.logflow.model.CriticalPath}), store keys ({@link io.logflow.model.RecentLogKey}) and queries
 * ({@link io.logflow.model.TraceQuery}).
 *
 * <p>The compact binary forms kept in stores and repartition topics live here too: the aggregates
 * encode their own (private) state ({@code toBytes} / {@code fromBytes}), {@link
 * io.logflow.model.LogRecordBinary} and {@link io.logflow.model.SpanRecordBinary} encode the records,
 * all through the package-private {@code Binary}, {@code StringTable} and {@code HexIds}.
 *
 * <p>May use: the JDK and DDSketch only. Nothing of LogFlow: every other {@code io.logflow.model}
 * package builds on this one ({@code codec}, {@code normalize}, {@code schema}, {@code otlp}), never
 * the other way round.
 */
package io.logflow.model;
