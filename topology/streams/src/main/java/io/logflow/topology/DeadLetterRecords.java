package io.logflow.topology;

import io.logflow.model.schema.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds the value and headers of a {@code logflow.dlq} record, the same way for every path that dead-letters. */
final class DeadLetterRecords {
    /** Reason headers are cut to this many characters (an exception message can be huge). */
    static final int MAX_REASON_CHARS = 1024;

    private DeadLetterRecords() {}

    /** The value to dead-letter: the original, or its first {@link DeadLetters#MAX_DEAD_LETTER_BYTES} bytes. */
    static byte[] value(byte[] original) {
        if (original == null || original.length <= DeadLetters.MAX_DEAD_LETTER_BYTES) return original;
        return Arrays.copyOf(original, DeadLetters.MAX_DEAD_LETTER_BYTES);
    }

    static boolean truncated(byte[] original) {
        return original != null && original.length > DeadLetters.MAX_DEAD_LETTER_BYTES;
    }

    /**
     * The original headers (if any) plus LogFlow's dead-letter headers. Existing {@code logflow.dlq.*}
     * headers are replaced, so a record dead-lettered twice carries only the latest reason.
     */
    static Headers headers(
            Headers original,
            String reason,
            String category,
            String topic,
            int partition,
            long offset,
            boolean truncated) {
        RecordHeaders h = new RecordHeaders();
        if (original != null) {
            for (Header header : original) {
                if (!header.key().startsWith("logflow.dlq.")) h.add(header);
            }
        }
        h.add(DeadLetters.REASON, utf8(cut(reason)));
        h.add(DeadLetters.CATEGORY, utf8(category));
        h.add(DeadLetters.SOURCE_TOPIC, utf8(String.valueOf(topic)));
        h.add(DeadLetters.SOURCE_PARTITION, utf8(Integer.toString(partition)));
        h.add(DeadLetters.SOURCE_OFFSET, utf8(Long.toString(offset)));
        if (truncated) h.add(DeadLetters.TRUNCATED, utf8("true"));
        return h;
    }

    /** "ExceptionClass: message" of the root cause, for the reason header. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    private static String cut(String s) {
        if (s == null) return "";
        return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
