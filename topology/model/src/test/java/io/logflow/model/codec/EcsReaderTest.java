package io.logflow.model.codec;

import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast ECS reader gives exactly the result (or the exception) of the Jackson reference reader. */
class EcsReaderTest {
    private final Random random = new Random(5);

    @Test
    void writtenDocuments_andMutations_sameResultAsJackson() {
        for (int i = 0; i < 30_000; i++) {
            byte[] doc = EcsJson.write(randomRecord());
            assertSame(doc);
            assertSame(mutate(doc));
            assertSame(mutate(mutate(doc)));
        }
    }

    @Test
    void specialDocuments_sameResultAsJackson() {
        String[] docs = {
            "{}",
            "{\"message\":\"m\"}",
            " {}",
            "{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"event.id\":\"e\",\"service.name\":\"s\","
                    + "\"log.level\":\"INFO\",\"message\":\"m\"}x",
            "{\"@timestamp\":\"bad\",\"event.id\":\"e\",\"service.name\":\"s\",\"log.level\":\"INFO\",\"message\":\"m"
                    + "\"}",
            "{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"event.id\":\"e\",\"service.name\":\"s\","
                    + "\"log.level\":\"info\",\"message\":\"m\"}",
            "{\"event.id\":\"e\",\"service.name\":\"s\",\"message\":\"a\\u0041\\n\\/\\\"\\\\\\t\\b\\f\\r\",\"labels\""
                    + ":{},\"labels\":{\"a\":\"1\",\"a\":\"2\"}}",
            "{\"event.id\":\"e\",\"service.name\":\"s\",\"message\":\"m\",\"labels\":{\"correlation_id\":\"c\",\"x\":"
                    + "\"é✓😀\"}}",
            "{\"event.id\":\"e\",\"service.name\":\"s\",\"message\":\"m\",\"labels\":{\"x\":1}}",
            "{\"event.id\":\"e\",\"service.name\":\"s\",\"message\":\"\\ud83d\\ude00\"}",
            "{\"event.id\":\"e\",\"service.name\":\"s\",\"message\":\"\\ud83d\"}",
            "{\"event.id\":\"e\",\"service.name\":\"s\",\"message\":\"\\x\"}",
            "{\"event.id\":\"e\",\"service.name\":\"s\",\"message\":\"m\",\"labels\":{\"" + "k".repeat(60_000)
                    + "\":\"v\"}}",
            "garbage",
            "",
            "{\"event.id\":\"e\"",
            "{\"event.id\":\"e\",}",
        };
        for (String d : docs) assertSame(d.getBytes(StandardCharsets.UTF_8));
        assertSame(new byte[] {'{', '"', 'm', 'e', 's', 's', 'a', 'g', 'e', '"', ':', '"', (byte) 0xC3, '"', '}'});
        assertSame(new byte[] {
            '{', '"', 'm', 'e', 's', 's', 'a', 'g', 'e', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'
        });
        assertSame(new byte[] {
            '{', '"', 'm', 'e', 's', 's', 'a', 'g', 'e', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'
        });
    }

    private static void assertSame(byte[] doc) {
        Differential.assertSameResult(doc, EcsJson::read, EcsJson::readWithJackson);
    }

    private byte[] mutate(byte[] doc) {
        String[] inserts = {
            " ",
            ",",
            "\"",
            "\\",
            "\\n",
            "\\u0041",
            "\\ud800",
            "\"x\":\"y\",",
            "\"message\":\"dup\",",
            "\"log.level\":\"ERROR\",",
            "\"labels\":{\"k\":\"v\"},",
            "1",
            "null",
            "{",
            "}",
            ":",
            "\u00c3",
            "\u0001",
            "\"@timestamp\":\"2026-13-01T00:00:00Z\","
        };
        return Differential.mutate(random, doc, inserts);
    }

    private LogRecord randomRecord() {
        Map<String, String> labels = new LinkedHashMap<>();
        int n = random.nextInt(4);
        for (int k = 0; k < n; k++) labels.put(text(), text());
        long ts = random.nextInt(10) == 0 ? -random.nextInt(100_000) : (long) (random.nextDouble() * 4e12);
        return new LogRecord(
                text(),
                ts,
                text(),
                Level.values()[random.nextInt(6)],
                text(),
                maybe(),
                maybe(),
                maybe(),
                maybe(),
                labels);
    }

    private String maybe() {
        return random.nextInt(3) == 0 ? null : text();
    }

    private String text() {
        String alphabet = "ab c1/\"\\\n\t\r\u0000\u001f\u007f\u00e9\u2713\ud83d\ude00";
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(10);
        for (int i = 0; i < n; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return sb.toString();
    }
}
