/**
 * What is on the wire and in the stores, by name: every topic ({@link io.logflow.model.schema.Topics}),
 * every state store ({@link io.logflow.model.schema.Stores}), the serdes ({@link
 * io.logflow.model.schema.LogFlowSerdes}) and the record header names ({@link
 * io.logflow.model.schema.DeadLetters}, {@link io.logflow.model.schema.LogHeaders}).
 *
 * <p>May use: {@code io.logflow.model}, {@code io.logflow.model.codec} and kafka-clients'
 * serialization. Not {@code normalize} or {@code otlp}, which may use this package.
 */
package io.logflow.model.schema;
