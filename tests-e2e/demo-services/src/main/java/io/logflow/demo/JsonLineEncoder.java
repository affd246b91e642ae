package io.logflow.demo;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One JSON object per log event and line, in field names LogFlow's log ingestion understands as they
 * are ({@code @timestamp}, {@code level}, {@code service}, {@code message}), followed by every MDC
 * entry — with the OpenTelemetry agent attached that includes {@code trace_id}, {@code span_id} and
 * {@code trace_flags}.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private final String service = DemoService.serviceName();

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(256);
        b.append('{');
        field(b, "@timestamp", event.getInstant().toString());
        field(b, "level", event.getLevel().toString());
        field(b, "service", service);
        field(b, "logger", event.getLoggerName());
        field(b, "thread", event.getThreadName());
        field(b, "message", event.getFormattedMessage());
        Map<String, String> mdc = event.getMDCPropertyMap(); // the agent adds its ids here
        if (mdc != null) mdc.forEach((k, v) -> field(b, k, v));
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            field(b, "error.type", error.getClassName());
            field(b, "error.message", error.getMessage());
            field(b, "error.stack_trace", ThrowableProxyUtil.asString(error));
        }
        b.append("}\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    private static void field(StringBuilder b, String name, String value) {
        if (value == null) return;
        if (b.length() > 1) b.append(',');
        string(b, name);
        b.append(':');
        string(b, value);
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
