/**
 * The JSON wire formats of the records: ECS JSON for {@code logflow.logs} ({@link
 * io.logflow.model.codec.EcsJson}) and span JSON for {@code logflow.spans} ({@link
 * io.logflow.model.codec.SpanJson}). Each has a Jackson reference reader and writer and a hand-written
 * fast path ({@code EcsReader}/{@code EcsWriter}, {@code SpanJsonReader}/{@code SpanJsonWriter},
 * built on the package-private {@code JsonCursor} and {@code JsonOut}) that gives the same result;
 * {@link io.logflow.model.codec.IsoTimestamps} is the ISO-8601 fast path they and the normaliser share.
 *
 * <p>May use: {@code io.logflow.model} (the records), the JDK and Jackson. Not {@code normalize},
 * {@code schema} or {@code otlp}, which build on this package.
 */
package io.logflow.model.codec;
