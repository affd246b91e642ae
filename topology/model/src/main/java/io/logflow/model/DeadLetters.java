package io.logflow.model;

/** Header names on {@code logflow.dlq} records: why the record was rejected and where it came from. */
public final class DeadLetters {
  private DeadLetters() {}

  public static final String REASON = "logflow.dlq.reason";
  public static final String SOURCE_TOPIC = "logflow.dlq.source.topic";
  public static final String SOURCE_PARTITION = "logflow.dlq.source.partition";
  public static final String SOURCE_OFFSET = "logflow.dlq.source.offset";
  /** "true" when the value is only the first {@link #MAX_DEAD_LETTER_BYTES} bytes of an oversized record. */
  public static final String TRUNCATED = "logflow.dlq.truncated";

  /** Oversized records are dead-lettered with only their head, so the DLQ cannot be flooded. */
  public static final int MAX_DEAD_LETTER_BYTES = 64 * 1024;
}
