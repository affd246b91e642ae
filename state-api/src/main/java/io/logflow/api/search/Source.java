package io.logflow.api.search;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.logflow.model.LogRecord;
import io.logflow.model.SpanRecord;
import io.logflow.model.codec.EcsJson;
import io.logflow.model.codec.SpanJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A hit's {@code _source} as the JSON bytes Elasticsearch sent, for the model's own codecs ({@link EcsJson}, {@link
 * SpanJson}) to read. The client's Jackson mapper copies the tokens straight into the bytes; reading {@code _source}
 * as {@code JsonData} instead built a JSON-P tree and then a string of it for every hit (about 3 % of the search
 * API's request threads in the profile of docs/benchmarks.md, 2026-12-07).
 */
@JsonDeserialize(using = Source.Reader.class)
record Source(byte[] json) {
    LogRecord log() {
        return EcsJson.read(json);
    }

    SpanRecord span() {
        return SpanJson.read(json);
    }

    static final class Reader extends JsonDeserializer<Source> {
        private static final JsonFactory JSON = new JsonFactory();

        @Override
        public Source deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.copyCurrentStructure(p);
            }
            return new Source(out.toByteArray());
        }
    }
}
