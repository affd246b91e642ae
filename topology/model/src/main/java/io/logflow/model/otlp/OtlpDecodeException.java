package io.logflow.model.otlp;

/**
 * A body that is not an OTLP request: not protobuf of the expected message, not JSON, or JSON whose
 * field at a given path has the wrong type ({@code resourceSpans[0].scopeSpans[1].spans[3].traceId:
 * not 32 hex characters ('xyz')}). The message names the problem and is safe to show to the sender.
 */
public final class OtlpDecodeException extends IllegalArgumentException {
    public OtlpDecodeException(String message) {
        super(message);
    }

    public OtlpDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
