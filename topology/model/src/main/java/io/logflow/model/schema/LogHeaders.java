package io.logflow.model.schema;

/** Kafka record headers LogFlow sets on {@code logflow.logs} (the ECS document stays untouched). */
public final class LogHeaders {
    private LogHeaders() {}

    /**
     * Present (value "1") when the log arrived after its 1-minute window had closed — judged where the
     * log entered LogFlow, against the progress of its own source partition. Late logs are kept
     * everywhere except the windowed statistics. See docs/adr/005-lateness-at-the-source.md.
     */
    public static final String LATE = "logflow.late";
}
