package io.logflow.model.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.LogRecord;
import io.logflow.model.MessageTemplates;
import io.logflow.model.TestObjects;
import io.logflow.model.codec.EcsJson;
import io.logflow.model.schema.LogFlowSerdes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever arrives, the normaliser answers Accepted or Rejected, and an accepted log survives both encodings. */
class NormalizerRobustnessTest {
    private static final List<String> FIELDS = List.of(
            "@timestamp",
            "timestamp",
            "time",
            "service",
            "service_name",
            "level",
            "log.level",
            "severity",
            "severity_text",
            "severity_number",
            "message",
            "msg",
            "trace_id",
            "traceId",
            "span_id",
            "request_id",
            "correlation_id",
            "labels",
            "event.id",
            "x",
            "nested",
            "ünï",
            "");
    private final Random random = new Random(42);
    private final RandomLogDocuments documents = new RandomLogDocuments(random, FIELDS);

    @Test
    void randomDocuments_neverThrow_andAcceptedLogsRoundTrip() {
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            String json = documents.object();
            LogNormalizer.Result r =
                    LogNormalizer.normalize(json.getBytes(StandardCharsets.UTF_8), "e" + i, TestObjects.T0);
            if (r instanceof LogNormalizer.Accepted a) {
                accepted++;
                LogRecord log = a.log();
                assertThat(EcsJson.read(EcsJson.write(log))).as(json).isEqualTo(log);
                assertThat(LogFlowSerdes.logRecord()
                                .deserializer()
                                .deserialize(
                                        "t",
                                        LogFlowSerdes.logRecord().serializer().serialize("t", log)))
                        .as(json)
                        .isEqualTo(log);
                assertThat(log.timestamp()).as(json).isNotNegative();
            } else {
                assertThat(((LogNormalizer.Rejected) r).reason()).isNotBlank();
            }
        }
        assertThat(accepted).isGreaterThan(1000); // the generator does produce valid logs too
    }

    @Test
    void randomBytes_andTruncatedJson_neverThrow() {
        for (int i = 0; i < 5_000; i++) {
            byte[] b = new byte[random.nextInt(64)];
            random.nextBytes(b);
            assertThat(LogNormalizer.normalize(b, "e", TestObjects.T0)).isNotNull();
            String json = documents.object();
            String cut = json.substring(0, random.nextInt(json.length() + 1));
            assertThat(LogNormalizer.normalize(cut.getBytes(StandardCharsets.UTF_8), "e", TestObjects.T0))
                    .isNotNull();
        }
    }

    @Test
    void templatesOfRandomMessages_neverThrow_andStayShort() {
        String alphabet = "0123456789abcdefABCDEFxX-_. :/|zq\u00e9";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(i % 100 == 0 ? 2000 : 80);
            for (int k = 0; k < n; k++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String template = MessageTemplates.of(sb.toString());
            assertThat(template.length()).isLessThanOrEqualTo(MessageTemplates.MAX_TEMPLATE_LENGTH);
            assertThat(MessageTemplates.of(sb.toString())).isEqualTo(template);
        }
    }

    @Test
    void deeplyNestedDocument_isRejectedNotThrown() {
        String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        assertThat(LogNormalizer.normalize(deep.getBytes(StandardCharsets.UTF_8), "e", TestObjects.T0))
                .isNotNull();
        String deepMessage = "{\"message\":\"m\"," + "\"a\":{".repeat(100) + "\"b\":1" + "}".repeat(100) + "}";
        LogNormalizer.Result r =
                LogNormalizer.normalize(deepMessage.getBytes(StandardCharsets.UTF_8), "e", TestObjects.T0);
        assertThat(r).isInstanceOf(LogNormalizer.Accepted.class);
    }
}
