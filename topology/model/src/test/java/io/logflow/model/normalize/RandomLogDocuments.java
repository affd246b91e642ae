package io.logflow.model.normalize;

import java.util.List;
import java.util.Random;

/**
 * Random JSON log documents for the normaliser's property tests: objects whose fields are drawn from
 * the given names (plus {@code message}/{@code msg} in most top-level objects), with every kind of
 * value the normaliser meets — strings with escapes and non-ASCII, numbers of every size, nulls,
 * booleans, nested objects and arrays, ISO times, epoch numbers, level names, trace and span ids.
 */
final class RandomLogDocuments {
    private final Random random;
    private final List<String> names;

    RandomLogDocuments(Random random, List<String> names) {
        this.random = random;
        this.names = names;
    }

    String object() {
        return object(0);
    }

    private String object(int depth) {
        StringBuilder sb = new StringBuilder("{");
        int n = random.nextInt(7) + (depth == 0 ? 1 : 0);
        boolean withMessage = depth == 0 && random.nextInt(4) != 0;
        if (withMessage)
            sb.append("\"")
                    .append(random.nextInt(5) == 0 ? "msg" : "message")
                    .append("\":")
                    .append(value(depth + 1, true))
                    .append(n > 0 ? "," : "");
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(',');
            sb.append('"')
                    .append(names.get(random.nextInt(names.size())).replace("\"", "\\\""))
                    .append("\":")
                    .append(value(depth + 1, false));
        }
        return sb.append('}').toString();
    }

    private String value(int depth, boolean preferString) {
        int kind = preferString ? random.nextInt(3) : random.nextInt(13);
        return switch (kind) {
            case 0, 1 -> '"' + text() + '"';
            case 2 -> String.valueOf(random.nextInt(3) == 0 ? random.nextLong() : (long) (random.nextDouble() * 2e12));
            case 3 -> String.valueOf(random.nextDouble() * 1e10);
            case 4 -> "null";
            case 5 -> String.valueOf(random.nextBoolean());
            case 6, 7 -> depth < 5 ? object(depth) : "{}";
            case 8 -> "[" + (depth < 5 ? value(depth + 1, false) : "1") + "]";
            case 9 -> "\"2026-01-01T00:00:0" + random.nextInt(10) + (random.nextBoolean() ? "Z" : "+01:00") + "\"";
            case 10 ->
                List.of(
                                "1767225600",
                                "1767225600123",
                                "17672256001234567",
                                "99999999999999999999",
                                "-5",
                                "0",
                                "1e3",
                                "21",
                                "17",
                                "-0")
                        .get(random.nextInt(10));
            case 11 -> String.valueOf(random.nextInt(30));
            default ->
                "\""
                        + List.of(
                                        "INFO",
                                        "warning",
                                        "Critical",
                                        "4bf92f3577b34da6a3ce929d0e0e4736",
                                        "550e8400-e29b-41d4-a716-446655440000",
                                        "",
                                        " ",
                                        "00f067aa0ba902b7",
                                        "ERROR3")
                                .get(random.nextInt(9))
                        + "\"";
        };
    }

    private String text() {
        String alphabet = "ab c1 9-_.:|/\\\\\\\"é✓\\u0000\\ud83d\\ude00\\n";
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            if (c == '\\') sb.append("\\\\");
            else if (c == '"') sb.append("\\\"");
            else sb.append(c);
        }
        return sb.toString();
    }
}
