package io.logflow.model.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Function;

/** Differential testing of LogFlow's fast readers against their Jackson reference. */
final class Differential {
    private Differential() {}

    /** Both readers give an equal result, or throw the same exception with the same message. */
    static void assertSameResult(byte[] doc, Function<byte[], ?> fast, Function<byte[], ?> reference) {
        assertThat(outcome(doc, fast))
                .as(new String(doc, StandardCharsets.UTF_8))
                .isEqualTo(outcome(doc, reference));
    }

    private static Object outcome(byte[] doc, Function<byte[], ?> reader) {
        try {
            return reader.apply(doc);
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    /**
     * The document with one random change: an insert of one of {@code inserts}, a cut, a byte replaced, or bytes
     * deleted.
     */
    static byte[] mutate(Random random, byte[] doc, String[] inserts) {
        String s = new String(doc, StandardCharsets.ISO_8859_1);
        int at = random.nextInt(s.length() + 1);
        return switch (random.nextInt(4)) {
            case 0 ->
                (s.substring(0, at) + inserts[random.nextInt(inserts.length)] + s.substring(at))
                        .getBytes(StandardCharsets.ISO_8859_1);
            case 1 -> s.substring(0, at).getBytes(StandardCharsets.ISO_8859_1);
            case 2 -> {
                byte[] b = doc.clone();
                if (b.length > 0) b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                yield b;
            }
            default ->
                (s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + random.nextInt(5))))
                        .getBytes(StandardCharsets.ISO_8859_1);
        };
    }
}
