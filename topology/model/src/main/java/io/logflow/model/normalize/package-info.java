/**
 * Turning what shippers send into records: {@link io.logflow.model.normalize.LogNormalizer} (any
 * accepted JSON log shape → {@link io.logflow.model.LogRecord}, or a rejection with its dead-letter
 * category), its streaming fast path ({@code FlatReader}) and the trace/span id rules ({@link
 * io.logflow.model.normalize.TraceIds}).
 *
 * <p>May use: {@code io.logflow.model}, {@code io.logflow.model.codec} (ISO-8601 timestamps) and
 * {@code io.logflow.model.schema} (dead-letter categories, the size limit of a log), the JDK and
 * Jackson. Not {@code otlp}, which builds on this package.
 */
package io.logflow.model.normalize;
