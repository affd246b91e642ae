package io.logflow.model.otlp;

import java.util.Locale;

/** The two encodings of OTLP over HTTP (and of the OpenTelemetry Collector's kafka exporter). */
public enum OtlpEncoding {
    /** Binary protobuf: {@code application/x-protobuf}; the Collector's {@code otlp_proto}. */
    PROTOBUF("application/x-protobuf"),
    /** OTLP JSON (hex ids, lowerCamelCase names): {@code application/json}; the Collector's {@code otlp_json}. */
    JSON("application/json");

    private final String mediaType;

    OtlpEncoding(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The media type OTLP/HTTP uses for this encoding (and answers with). */
    public String mediaType() {
        return mediaType;
    }

    /**
     * The encoding a {@code Content-Type} names ({@code application/x-protobuf} or {@code
     * application/protobuf}, {@code application/json}; parameters such as a charset ignored), or null
     * for anything else.
     */
    public static OtlpEncoding ofContentType(String contentType) {
        if (contentType == null) return null;
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/x-protobuf", "application/protobuf" -> PROTOBUF;
            case "application/json" -> JSON;
            default -> null;
        };
    }

    /**
     * The encoding of a Kafka record value: JSON when it starts with '{' (after a UTF-8 byte order
     * mark, spaces, tabs or carriage returns), else protobuf. Unambiguous: an OTLP request in
     * protobuf starts with the tag of field 1 (0x0A, a line feed, which is why line feeds are not
     * skipped), and '{' would be a group start of field 15, which no OTLP message has.
     */
    public static OtlpEncoding detect(byte[] value) {
        if (value == null) return PROTOBUF;
        int i = 0;
        if (value.length >= 3 && (value[0] & 0xff) == 0xEF && (value[1] & 0xff) == 0xBB && (value[2] & 0xff) == 0xBF)
            i = 3;
        while (i < value.length && (value[i] == ' ' || value[i] == '\t' || value[i] == '\r')) i++;
        return i < value.length && value[i] == '{' ? JSON : PROTOBUF;
    }
}
