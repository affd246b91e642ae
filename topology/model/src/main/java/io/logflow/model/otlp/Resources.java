package io.logflow.model.otlp;

import io.logflow.model.normalize.LogNormalizer;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What LogFlow takes from an OTLP resource: the service name and the other attributes. */
final class Resources {
    private Resources() {}

    /**
     * The resource's {@code service.name}, trimmed and cut to {@link LogNormalizer#MAX_SERVICE_LENGTH}; {@link
     * OtlpSpans#UNKNOWN_SERVICE} when missing or blank.
     */
    static String service(Resource resource) {
        for (KeyValue kv : resource.getAttributesList()) {
            if (!OtlpSpans.SERVICE_NAME.equals(kv.getKey())) continue;
            String text = AnyValues.text(kv.getValue());
            if (text == null || text.isBlank()) break;
            text = text.trim();
            return text.length() <= LogNormalizer.MAX_SERVICE_LENGTH
                    ? text
                    : text.substring(0, LogNormalizer.MAX_SERVICE_LENGTH);
        }
        return OtlpSpans.UNKNOWN_SERVICE;
    }

    /**
     * Every attribute but {@code service.name}, as text (see {@link AnyValues}); unmodifiable, shared by the resource's
     * items.
     */
    static Map<String, String> attributes(Resource resource) {
        if (resource.getAttributesCount() == 0) return Map.of();
        Map<String, String> out = new LinkedHashMap<>(AnyValues.map(resource.getAttributesList()));
        out.remove(OtlpSpans.SERVICE_NAME);
        return out.isEmpty() ? Map.of() : Collections.unmodifiableMap(out);
    }
}
