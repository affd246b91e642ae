package io.logflow.api.config;

import io.logflow.model.LogRecord;
import io.logflow.model.codec.EcsJson;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

/** Logs leave the API in one shape everywhere: the ECS document of {@code logflow.logs} ({@link EcsJson}). */
@Configuration(proxyBeanMethods = false)
class JsonConfig {
    @Bean
    JsonMapperBuilderCustomizer logRecordAsEcs() {
        SimpleModule module = new SimpleModule("logflow-ecs");
        module.addSerializer(LogRecord.class, new ValueSerializer<>() {
            @Override
            public void serialize(LogRecord value, JsonGenerator gen, SerializationContext ctxt) {
                gen.writeRawValue(new String(EcsJson.write(value), StandardCharsets.UTF_8));
            }
        });
        module.addDeserializer(LogRecord.class, new ValueDeserializer<>() {
            @Override
            public LogRecord deserialize(JsonParser p, DeserializationContext ctxt) {
                return EcsJson.read(ctxt.readTree(p).toString().getBytes(StandardCharsets.UTF_8));
            }
        });
        return builder -> builder.addModule(module);
    }
}
