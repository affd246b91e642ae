package io.logflow.model.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.Level;
import io.logflow.model.LogRecord;
import io.logflow.model.TestObjects;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast ECS writer writes exactly the bytes of the Jackson reference writer. */
class EcsWriterTest {
    private final Random random = new Random(11);

    @Test
    void everyCharacter_sameBytesAsJackson() {
        for (int c = 0; c < 0x10000; c++) {
            String s = "a" + (char) c + "b";
            LogRecord r = new LogRecord(s, TestObjects.T0, s, Level.WARN, s, s, s, s, s, Map.of(s, s));
            assertThat(EcsJson.write(r)).as("char %x", c).isEqualTo(EcsJson.writeWithJackson(r));
        }
    }

    @Test
    void randomRecords_sameBytesAsJackson() {
        long[] times = {
            0,
            1,
            999,
            1000,
            1001,
            59_999,
            86_399_999,
            951_782_400_000L,
            1_767_225_600_100L,
            4_107_542_399_999L,
            253_402_300_799_999L,
            253_402_300_800_000L,
            -1,
            -1000,
            Long.MAX_VALUE / 1000
        };
        for (int i = 0; i < 30_000; i++) {
            long ts = random.nextInt(4) == 0
                    ? times[random.nextInt(times.length)]
                    : (long) (random.nextDouble() * 300_000_000_000_000L) - 10_000_000_000_000L;
            Map<String, String> labels = new LinkedHashMap<>();
            int n = random.nextInt(4);
            for (int k = 0; k < n; k++) labels.put(text(), text());
            if (random.nextInt(50) == 0) {
                Map<String, String> withNull = new HashMap<>(labels);
                withNull.put(text(), null);
                labels = withNull;
            }
            LogRecord r = new LogRecord(
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
            assertThat(new String(EcsJson.write(r), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .as(r.toString())
                    .isEqualTo(new String(EcsJson.writeWithJackson(r), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void longMessages_sameBytesAsJackson() {
        for (int len : new int[] {1000, 70_000, 300_000}) {
            StringBuilder sb = new StringBuilder();
            while (sb.length() < len) sb.append(random.nextInt(10) == 0 ? "\n\t\"é✓😀\u0001" : "line of text ");
            LogRecord r = new LogRecord(
                    "e",
                    TestObjects.T0,
                    "s",
                    Level.ERROR,
                    sb.toString(),
                    null,
                    null,
                    null,
                    null,
                    Map.of("k", sb.toString()));
            assertThat(EcsJson.write(r)).isEqualTo(EcsJson.writeWithJackson(r));
        }
    }

    private String maybe() {
        return random.nextInt(3) == 0 ? null : text();
    }

    private String text() {
        String alphabet = "ab c1/\"\\\n\t\r\b\f\u0000\u001f\u007f\u00e9\u2028\u2713\uffff\ud83d\ude00\ud800\udc00";
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(10);
        for (int i = 0; i < n; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return sb.toString();
    }
}
