package io.logflow.model.schema;

import java.util.List;

/** Header names on {@code logflow.dlq} records: why the record was rejected and where it came from. */
public final class DeadLetters {
    private DeadLetters() {}

    public static final String REASON = "logflow.dlq.reason";
    public static final String SOURCE_TOPIC = "logflow.dlq.source.topic";
    public static final String SOURCE_PARTITION = "logflow.dlq.source.partition";
    public static final String SOURCE_OFFSET = "logflow.dlq.source.offset";
    /** "true" when the value is only the first {@link #MAX_DEAD_LETTER_BYTES} bytes of an oversized record. */
    public static final String TRUNCATED = "logflow.dlq.truncated";

    /** Low-cardinality rejection category (one of the CATEGORY_* values), for metrics and filtering. */
    public static final String CATEGORY = "logflow.dlq.category";

    public static final String CATEGORY_EMPTY = "empty";
    public static final String CATEGORY_TOO_LARGE = "too_large";
    public static final String CATEGORY_INVALID_JSON = "invalid_json";
    public static final String CATEGORY_NOT_OBJECT = "not_object";
    public static final String CATEGORY_MISSING_MESSAGE = "missing_message";
    public static final String CATEGORY_BAD_TIMESTAMP = "bad_timestamp";
    /** An OTLP record ({@code otlp_spans}, {@code otlp_logs}) that is neither OTLP protobuf nor OTLP JSON. */
    public static final String CATEGORY_INVALID_OTLP = "invalid_otlp";
    /**
     * The invalid spans of an OTLP request (trace or span id missing, end before start, ...), as a request of their
     * own.
     */
    public static final String CATEGORY_INVALID_SPAN = "invalid_span";
    /** The invalid log records of an OTLP request (nothing to show), as a request of their own. */
    public static final String CATEGORY_INVALID_LOG_RECORD = "invalid_log_record";
    /** Any other rejection by the normaliser. */
    public static final String CATEGORY_INVALID = "invalid";
    /** An unexpected exception while processing a record (a bug or a broken record downstream). */
    public static final String CATEGORY_PROCESSING_ERROR = "processing_error";
    /** A record on an internal topic that could not be deserialised. */
    public static final String CATEGORY_DESERIALIZATION_ERROR = "deserialization_error";

    /** Every CATEGORY_* value: the known reasons, so that metrics can show each at 0 before the first dead letter. */
    public static final List<String> CATEGORIES = List.of(
            CATEGORY_EMPTY,
            CATEGORY_TOO_LARGE,
            CATEGORY_INVALID_JSON,
            CATEGORY_NOT_OBJECT,
            CATEGORY_MISSING_MESSAGE,
            CATEGORY_BAD_TIMESTAMP,
            CATEGORY_INVALID_OTLP,
            CATEGORY_INVALID_SPAN,
            CATEGORY_INVALID_LOG_RECORD,
            CATEGORY_INVALID,
            CATEGORY_PROCESSING_ERROR,
            CATEGORY_DESERIALIZATION_ERROR);

    /** Oversized records are dead-lettered with only their head, so the DLQ cannot be flooded. */
    public static final int MAX_DEAD_LETTER_BYTES = 64 * 1024;
}
