package io.logflow.model.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.SpanRecord;
import io.logflow.model.TestObjects;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast span writer writes exactly the bytes of the Jackson reference writer. */
class SpanJsonWriterTest {
    private final Random random = new Random(13);

    @Test
    void everyCharacter_sameBytesAsJackson() {
        for (int c = 0; c < 0x10000; c++) {
            String s = "a" + (char) c + "b";
            SpanRecord span = new SpanRecord(
                    s,
                    s,
                    s,
                    s,
                    s,
                    SpanRecord.Kind.CLIENT,
                    TestObjects.T0 * 1_000_000L,
                    1,
                    SpanRecord.Status.OK,
                    s,
                    s,
                    Map.of(s, s),
                    Map.of(s, s),
                    List.of(new SpanRecord.Event(1, s, Map.of(s, s))),
                    List.of(new SpanRecord.Link(s, s, Map.of(s, s))));
            assertThat(SpanJson.write(span)).as("char %x", c).isEqualTo(SpanJson.writeWithJackson(span));
        }
    }

    @Test
    void randomSpans_sameBytesAsJackson_andTypicalOnesWithoutJackson() {
        long[] nanos = {
            0,
            1,
            999_999,
            1_000_000,
            1_000_001,
            59_999_000_000L,
            1_767_225_600_123_456_789L,
            253_402_300_799_999_999L,
            253_402_300_800_000_000L,
            -1,
            -1_000_000,
            Long.MAX_VALUE,
            Long.MIN_VALUE
        };
        int fast = 0;
        for (int i = 0; i < 30_000; i++) {
            long start =
                    random.nextInt(4) == 0 ? nanos[random.nextInt(nanos.length)] : (long) (random.nextDouble() * 3e18);
            long duration = random.nextInt(4) == 0
                    ? Math.max(0, nanos[random.nextInt(nanos.length)])
                    : random.nextLong() >>> (1 + random.nextInt(60));
            List<SpanRecord.Event> events = new ArrayList<>();
            for (int k = random.nextInt(3); k > 0; k--)
                events.add(new SpanRecord.Event(random.nextLong(), text(), map()));
            List<SpanRecord.Link> links = new ArrayList<>();
            for (int k = random.nextInt(2); k > 0; k--) links.add(new SpanRecord.Link(text(), text(), map()));
            SpanRecord span = new SpanRecord(
                    text(),
                    text(),
                    maybe(),
                    text(),
                    text(),
                    SpanRecord.Kind.values()[random.nextInt(SpanRecord.Kind.values().length)],
                    start,
                    duration,
                    SpanRecord.Status.values()[random.nextInt(SpanRecord.Status.values().length)],
                    maybe(),
                    maybe(),
                    map(),
                    map(),
                    events,
                    links);
            if (SpanJsonWriter.write(span) != null) fast++;
            assertThat(new String(SpanJson.write(span), StandardCharsets.ISO_8859_1))
                    .as(span.toString())
                    .isEqualTo(new String(SpanJson.writeWithJackson(span), StandardCharsets.ISO_8859_1));
        }
        assertThat(fast)
                .as("spans written without Jackson (all but those with a lone surrogate, a null, a start before 1970)")
                .isGreaterThan(3_000);
    }

    private Map<String, String> map() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int k = random.nextInt(4); k > 0; k--) m.put(text(), text());
        if (random.nextInt(50) == 0) {
            Map<String, String> withNull = new HashMap<>(m);
            withNull.put(text(), null);
            return withNull;
        }
        return m;
    }

    private String maybe() {
        return random.nextInt(3) == 0 ? null : text();
    }

    private String text() {
        String alphabet = random.nextInt(5) == 0 ? "ab\u0000\u001f\"\\\u007f\u00e9\u2713\ud83d\ude00" : "abc d1/-_.";
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(10);
        for (int i = 0; i < n; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return sb.toString();
    }
}
