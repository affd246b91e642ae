package io.logflow.model.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.TestObjects;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The streaming fast path of the normaliser gives exactly the answer of the tree path (the
 * reference) for every document, including the ones it hands over to the tree path.
 */
class NormalizerFastPathTest {
    private static final List<String> NAMES = List.of(
            "@timestamp",
            "timestamp",
            "time",
            "service",
            "service.name",
            "name",
            "service_name",
            "level",
            "log.level",
            "log",
            "severity",
            "severity_text",
            "severity_number",
            "message",
            "msg",
            "trace_id",
            "trace.id",
            "trace",
            "id",
            "traceId",
            "span_id",
            "span.id",
            "spanId",
            "request_id",
            "http.request.id",
            "correlation_id",
            "labels",
            "x",
            "x.y",
            "y",
            "ünï",
            "",
            "a\"b");
    private final Random random = new Random(7);
    private final RandomLogDocuments documents = new RandomLogDocuments(random, NAMES);

    @Test
    void randomDocuments_sameResultAsTreePath() {
        for (int i = 0; i < 50_000; i++) {
            String json = documents.object();
            if (random.nextInt(20) == 0)
                json = json + List.of(" ", "\n", " {}", "x", ",", " 1").get(random.nextInt(6));
            assertSame(json);
        }
    }

    @Test
    void specialShapes_sameResultAsTreePath() {
        for (String json : List.of(
                "{\"message\":\"m\",\"a\":1,\"a\":2}",
                "{\"message\":\"m\",\"a\":{\"b\":1},\"a\":2}",
                "{\"message\":\"m\",\"a\":2,\"a\":{\"b\":1}}",
                "{\"message\":\"m\",\"a.b\":1,\"a\":{\"b\":2}}",
                "{\"message\":\"m\",\"a\":{\"b\":2},\"a.b\":1}",
                "{\"message\":\"m\",\"message\":\"n\"}",
                "{\"msg\":\"m\",\"message\":null}",
                "{\"message\":{},\"x\":{}}",
                "{\"message\":[1,{\"a\":1,\"a\":2}],\"x\":[]}",
                "{\"message\":1.5e300,\"big\":123456789012345678901234567890,\"f\":-0.0,\"g\":1E2,\"h\":-0,\"i\":2147"
                        + "483648}",
                "{\"message\":\"m\",\"@timestamp\":1.767225600123E12,\"level\":17.0}",
                "{\"message\":\"m\",\"level\":18,\"trace_id\":12345678901234567890123456789012}",
                "{\"message\":\"m\"}   ",
                "{\"message\":\"m\"} {\"message\":\"n\"}",
                "{\"message\":\"m\"}]",
                "[{\"message\":\"m\"}]",
                "\"message\"",
                "  ",
                "{\"message\":\"m\",",
                "{\"message\":\"m\\u0000\\ud83d\\ude00\\ud800\"}",
                "\uFEFF{\"message\":\"bom\"}",
                "{\"message\":\"m\"," + "\"a\":{".repeat(30) + "\"b\":1" + "}".repeat(30) + "}",
                "{\"message\":\"m\"," + "\"a\":{".repeat(15) + "\"b\":{\"c\":1,\"c\":2}" + "}".repeat(15) + "}",
                "{\"message\":\"m\"," + "\"a\":{".repeat(16) + "\"b\":{\"c\":1,\"c\":2}" + "}".repeat(16) + "}",
                "{\"a\":".repeat(2000) + "1" + "}".repeat(2000))) {
            assertSame(json);
        }
        byte[] utf16 = "{\"message\":\"utf16\"}".getBytes(StandardCharsets.UTF_16BE);
        assertThat(LogNormalizer.normalize(utf16, "e", TestObjects.T0))
                .isEqualTo(LogNormalizer.normalizeTree(utf16, "e", TestObjects.T0));
        byte[] badUtf8 = {'{', '"', 'm', 'e', 's', 's', 'a', 'g', 'e', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertThat(LogNormalizer.normalize(badUtf8, "e", TestObjects.T0))
                .isEqualTo(LogNormalizer.normalizeTree(badUtf8, "e", TestObjects.T0));
    }

    @Test
    void randomBytes_sameResultAsTreePath() {
        for (int i = 0; i < 5_000; i++) {
            byte[] b = new byte[random.nextInt(64) + 1];
            random.nextBytes(b);
            assertThat(LogNormalizer.normalize(b, "e", TestObjects.T0))
                    .isEqualTo(LogNormalizer.normalizeTree(b, "e", TestObjects.T0));
            String json = documents.object();
            String cut = json.substring(0, random.nextInt(json.length()) + 1);
            assertSame(cut);
        }
    }

    @Test
    void eventId_isTheNameBasedUuidOfTopicPartitionOffset() {
        for (long offset : new long[] {0, 1, 9, 10, 123456789, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
            for (int partition : new int[] {0, 5, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                for (String topic : List.of("logs", "lögs", "other")) {
                    String expected = UUID.nameUUIDFromBytes(
                                    (topic + '/' + partition + '/' + offset).getBytes(StandardCharsets.UTF_8))
                            .toString()
                            .replace("-", "");
                    assertThat(LogNormalizer.eventId(topic, partition, offset)).isEqualTo(expected);
                }
            }
        }
    }

    private static void assertSame(String json) {
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        assertThat(LogNormalizer.normalize(raw, "e", TestObjects.T0))
                .as(json)
                .isEqualTo(LogNormalizer.normalizeTree(raw, "e", TestObjects.T0));
    }
}
