package io.logflow.model.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.SpanRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast span reader gives exactly the result (or the exception) of the Jackson reference reader. */
class SpanJsonReaderTest {
    private final Random random = new Random(11);

    @Test
    void writtenDocuments_andMutations_sameResultAsJackson() {
        for (int i = 0; i < 20_000; i++) {
            byte[] doc = SpanJson.write(randomSpan());
            assertSame(doc);
            assertSame(mutate(doc));
            assertSame(mutate(mutate(doc)));
        }
    }

    /**
     * Written documents are read without Jackson unless they hold a lone surrogate (written as an escape Jackson has
     * its own rules for).
     */
    @Test
    void writtenDocuments_areReadWithoutJackson() {
        alphabet = "ab c1/\"\\\n\t\r\u0000\u001f\u007f\u00e9\u2713";
        for (int i = 0; i < 2_000; i++) {
            SpanRecord span = randomSpan();
            assertThat(SpanJsonReader.read(SpanJson.write(span))).isEqualTo(span);
        }
    }

    @Test
    void specialDocuments_sameResultAsJackson() {
        String ok = "\"trace.id\":\"t\",\"span.id\":\"s\",\"service.name\":\"svc\",\"span.name\":\"n\"";
        String[] docs = {
            "{}",
            "{" + ok + "}",
            "{" + ok + "}x",
            " {" + ok + "}",
            "{" + ok + ",\"start_ns\":-0}",
            "{" + ok + ",\"start_ns\":01}",
            "{" + ok + ",\"start_ns\":9223372036854775807}",
            "{" + ok + ",\"start_ns\":9223372036854775808}",
            "{" + ok + ",\"start_ns\":1.5}",
            "{" + ok + ",\"start_ns\":\"1\"}",
            "{" + ok + ",\"duration_ms\":4.5e-3}",
            "{" + ok + ",\"duration_ms\":4.}",
            "{" + ok + ",\"duration_ms\":-}",
            "{" + ok + ",\"span.kind\":\"server\"}",
            "{" + ok + ",\"status.code\":\"OK\"}",
            "{" + ok + ",\"@timestamp\":\"bad\"}",
            "{" + ok + ",\"parent.id\":null}",
            "{" + ok + ",\"other\":{\"a\":[1,2]}}",
            "{" + ok + ",\"attributes\":{\"a\":1}}",
            "{" + ok + ",\"attributes\":[]}",
            "{" + ok + ",\"attributes\":{\"a\":\"1\",\"a\":\"2\"}}",
            "{" + ok + ",\"events\":[]}",
            "{" + ok + ",\"events\":[{}]}",
            "{" + ok + ",\"events\":[{\"name\":null}]}",
            "{" + ok + ",\"events\":[1]}",
            "{" + ok + ",\"links\":[{\"trace.id\":\"a\"}]}",
            "{" + ok + ",\"links\":[{\"trace.id\":\"a\",\"span.id\":\"b\",\"attributes\":{}}]}",
            "{\"trace.id\":\"t\"}",
            "{" + ok + ",\"attributes\":{\"" + "k".repeat(60_000) + "\":\"v\"}}",
            "garbage",
            "",
            "{" + ok,
            "{" + ok + ",}",
        };
        for (String d : docs) assertSame(d.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertSame(byte[] doc) {
        Differential.assertSameResult(doc, SpanJson::read, SpanJson::readWithJackson);
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
            "\"span.name\":\"dup\",",
            "\"span.kind\":\"CLIENT\",",
            "\"attributes\":{\"k\":\"v\"},",
            "1",
            "-",
            ".5",
            "e3",
            "null",
            "{",
            "}",
            "[",
            "]",
            ":",
            "\u00c3",
            "\u0001",
            "\"@timestamp\":\"2026-13-01T00:00:00Z\","
        };
        return Differential.mutate(random, doc, inserts);
    }

    private SpanRecord randomSpan() {
        List<SpanRecord.Event> events = new ArrayList<>();
        for (int k = random.nextInt(3); k > 0; k--)
            events.add(new SpanRecord.Event(random.nextLong() >>> 1, text(), map()));
        List<SpanRecord.Link> links = new ArrayList<>();
        for (int k = random.nextInt(2); k > 0; k--) links.add(new SpanRecord.Link(text(), text(), map()));
        long start = random.nextInt(10) == 0 ? -random.nextInt(100_000) : (long) (random.nextDouble() * 4e18);
        return new SpanRecord(
                text(),
                text(),
                maybe(),
                text(),
                text(),
                SpanRecord.Kind.values()[random.nextInt(SpanRecord.Kind.values().length)],
                start,
                random.nextInt(10) == 0 ? 0 : random.nextLong() >>> (1 + random.nextInt(40)),
                SpanRecord.Status.values()[random.nextInt(SpanRecord.Status.values().length)],
                maybe(),
                maybe(),
                map(),
                map(),
                events,
                links);
    }

    private Map<String, String> map() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int k = random.nextInt(4); k > 0; k--) m.put(text(), text());
        return m;
    }

    private String maybe() {
        return random.nextInt(3) == 0 ? null : text();
    }

    private String alphabet = "ab c1/\"\\\n\t\r\u0000\u001f\u007f\u00e9\u2713\ud83d\ude00";

    private String text() {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(10);
        for (int i = 0; i < n; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return sb.toString();
    }
}
