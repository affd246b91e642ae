/**
 * What is on the wire and in the stores, by name: every topic ({@link io.logflow.model.schema.Topics},
 * each a {@link io.logflow.model.schema.Topic} with its serdes and creation settings), every state
 * store ({@link io.logflow.model.schema.Stores}, each a {@link io.logflow.model.schema.StoreSpec} with
 * its kind and serdes), the serdes themselves ({@link io.logflow.model.schema.LogFlowSerdes}) and the
 * record header names ({@link io.logflow.model.schema.DeadLetters}, {@link
 * io.logflow.model.schema.LogHeaders}). The one place a topic's or a store's name and serdes are
 * declared (cf. kafka-streams-examples' {@code Schemas}).
 *
 * <p>May use: {@code io.logflow.model}, {@code io.logflow.model.codec} and kafka-clients'
 * serialization. Not {@code normalize} or {@code otlp}, which may use this package.
 */
package io.logflow.model.schema;
