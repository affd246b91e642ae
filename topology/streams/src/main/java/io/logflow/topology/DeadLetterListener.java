package io.logflow.topology;

/**
 * Told of every record the topology dead-letters; state-api counts them in Prometheus. Called on
 * stream threads, possibly several at once, so implementations must be thread-safe and quick. An
 * exception thrown here is logged and ignored.
 */
@FunctionalInterface
public interface DeadLetterListener {
    DeadLetterListener NONE = reason -> {};

    /**
     * @param reasonCategory a short, low-cardinality category (e.g. "invalid_json", "missing_message",
     *     "bad_timestamp", "too_large", "not_object", "processing_error") suitable as a metric tag
     */
    void onDeadLetter(String reasonCategory);
}
