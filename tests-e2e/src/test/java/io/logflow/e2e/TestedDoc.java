package io.logflow.e2e;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The blocks of a Markdown page that a test runs as they are written: a line
 * {@code <!-- tested: name -->} directly followed by a fenced block. Plus the little shell the
 * blocks use — {@code export NAME=value} lines, {@code curl} commands with the options listed in
 * {@link Curl#parse}, words with quotes — so that a test executes exactly what the page shows, and
 * a page that uses anything else fails the test instead of being silently skipped.
 */
final class TestedDoc {
    private static final Pattern MARKER = Pattern.compile("^<!-- tested: ([a-z0-9-]+) -->\\s*$");
    private static final Pattern FENCE = Pattern.compile("^```([A-Za-z0-9_-]*)\\s*$");

    /** One tested block: its name, the fence's language, the text between the fences, its first line (1-based). */
    record Block(String name, String language, String text, int line) {
        Block {
            requireNonNull(name, "name");
            requireNonNull(language, "language");
            requireNonNull(text, "text");
        }

        /** The block's non-empty lines. */
        List<String> lines() {
            return text.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private final Path source;
    private final String markdown;
    private final Map<String, Block> blocks;

    private TestedDoc(Path source, String markdown, Map<String, Block> blocks) {
        this.source = source;
        this.markdown = markdown;
        this.blocks = blocks;
    }

    static TestedDoc read(Path markdown) {
        try {
            return parse(markdown, Files.readString(markdown, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + markdown, e);
        }
    }

    static TestedDoc parse(Path source, String markdown) {
        List<String> lines = markdown.lines().toList();
        Map<String, Block> blocks = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher marker = MARKER.matcher(lines.get(i));
            if (!marker.matches()) continue;
            String name = marker.group(1);
            Matcher open = i + 1 < lines.size() ? FENCE.matcher(lines.get(i + 1)) : null;
            if (open == null || !open.matches()) {
                throw new IllegalArgumentException(
                        source + ":" + (i + 1) + ": '" + name + "' is not followed by a fenced block");
            }
            int close = i + 2;
            while (close < lines.size() && !lines.get(close).equals("```")) close++;
            if (close == lines.size())
                throw new IllegalArgumentException(source + ":" + (i + 2) + ": the block '" + name + "' is not closed");
            String text = String.join("\n", lines.subList(i + 2, close)) + "\n";
            if (blocks.put(name, new Block(name, open.group(1), text, i + 3)) != null) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": a second block named '" + name + "'");
            }
            i = close;
        }
        return new TestedDoc(source, markdown, blocks);
    }

    Path source() {
        return source;
    }

    /** The whole page. */
    String markdown() {
        return markdown;
    }

    /** The names of the tested blocks, in page order. */
    List<String> names() {
        return List.copyOf(blocks.keySet());
    }

    Block block(String name) {
        Block b = blocks.get(name);
        if (b == null)
            throw new IllegalArgumentException(source + " has no block marked '<!-- tested: " + name + " -->'");
        return b;
    }

    /**
     * The commands of a shell block: lines joined where one ends with a backslash, blank lines and
     * {@code #} comment lines dropped.
     */
    static List<String> commands(String shell) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : shell.lines().toList()) {
            String l = line.strip();
            if (current.isEmpty() && (l.isEmpty() || l.startsWith("#"))) continue;
            if (l.endsWith("\\")) {
                current.append(l.substring(0, l.length() - 1).strip()).append(' ');
                continue;
            }
            current.append(l);
            out.add(current.toString().strip());
            current.setLength(0);
        }
        if (!current.isEmpty())
            throw new IllegalArgumentException("the last command continues past the block: " + current);
        return out;
    }

    /**
     * The words of one command as a POSIX shell splits them: single quotes literal, double quotes
     * with {@code \"}, {@code \\}, {@code \$} escapes, a backslash outside quotes escaping the next
     * character; an unquoted {@code <}, {@code >} or {@code |} is a word of its own. A {@code $NAME}
     * (quoted or not) is kept as written, for the test to put in what the reader's variable holds (a
     * token, say); any other expansion, and globs, are not supported: a page that needs them is not
     * runnable as it is, and fails here.
     */
    private static boolean isNameStart(char c) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }

    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                if (end < 0) throw new IllegalArgumentException("unclosed ' in: " + command);
                w.append(command, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < command.length() && command.charAt(j) != '"'; j++) {
                    char d = command.charAt(j);
                    if (d == '\\' && j + 1 < command.length() && "\"\\$`".indexOf(command.charAt(j + 1)) >= 0) {
                        w.append(command.charAt(++j));
                    } else if (d == '$' && j + 1 < command.length() && isNameStart(command.charAt(j + 1))) {
                        int k = j + 1;
                        while (k < command.length() && isNamePart(command.charAt(k))) k++;
                        w.append(command, j, k);
                        j = k - 1;
                    } else if (d == '$' || d == '`') {
                        throw new IllegalArgumentException("expansion inside \"…\" is not supported: " + command);
                    } else {
                        w.append(d);
                    }
                }
                if (j == command.length()) throw new IllegalArgumentException("unclosed \" in: " + command);
                i = j;
                inWord = true;
            } else if (c == '\\' && i + 1 < command.length()) {
                w.append(command.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else if (c == '<' || c == '>' || c == '|') {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
                words.add(String.valueOf(c));
            } else if (c == '$' && i + 1 < command.length() && isNameStart(command.charAt(i + 1))) {
                int j = i + 1;
                while (j < command.length() && isNamePart(command.charAt(j))) j++;
                w.append(command, i, j);
                i = j - 1;
                inWord = true;
            } else if (c == '$' || c == '`' || c == '*' || c == '?' || c == ';' || c == '&') {
                throw new IllegalArgumentException(
                        "'" + c + "' is not supported (expansion, globbing, lists): " + command);
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) words.add(w.toString());
        return words;
    }

    /**
     * The variables a shell block exports ({@code export NAME=value}, in order) and its other
     * commands.
     */
    record Shell(Map<String, String> exports, List<String> commands) {
        static Shell of(String shell) {
            Map<String, String> exports = new LinkedHashMap<>();
            List<String> others = new ArrayList<>();
            for (String command : TestedDoc.commands(shell)) {
                List<String> words = words(command);
                if (words.isEmpty() || !words.get(0).equals("export")) {
                    others.add(command);
                    continue;
                }
                for (String assignment : words.subList(1, words.size())) {
                    int eq = assignment.indexOf('=');
                    if (eq <= 0)
                        throw new IllegalArgumentException("not NAME=value: " + assignment + " in: " + command);
                    exports.put(assignment.substring(0, eq), assignment.substring(eq + 1));
                }
            }
            return new Shell(Map.copyOf(exports), List.copyOf(others));
        }
    }

    /**
     * One {@code curl} command.
     *
     * @param body the {@code --data-binary} argument as written ({@code @file} names a file), or null
     */
    record Curl(String method, URI url, Map<String, String> headers, String body) {
        /**
         * Reads {@code curl [-s] [-S] [-sS] [-X METHOD | -XMETHOD] [-H 'Name: value']… [--data-binary
         * DATA|@file] URL}; the method is POST with data, GET without, unless {@code -X} says. Any
         * other option, or a second URL, is refused: the test would not send what the page shows.
         */
        static Curl parse(String command) {
            List<String> words = words(command);
            if (words.isEmpty() || !words.get(0).equals("curl"))
                throw new IllegalArgumentException("not a curl command: " + command);
            String method = null;
            String url = null;
            String body = null;
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < words.size(); i++) {
                String w = words.get(i);
                switch (w) {
                    case "-s", "-S", "-sS", "--silent", "--show-error" -> {}
                    case "-X", "--request" -> method = argument(words, ++i, w, command);
                    case "-H", "--header" -> {
                        String h = argument(words, ++i, w, command);
                        int colon = h.indexOf(':');
                        if (colon <= 0)
                            throw new IllegalArgumentException("not 'Name: value': " + h + " in: " + command);
                        headers.put(
                                h.substring(0, colon).strip(),
                                h.substring(colon + 1).strip());
                    }
                    case "--data-binary" -> body = argument(words, ++i, w, command);
                    default -> {
                        if (w.startsWith("-X") && w.length() > 2) {
                            method = w.substring(2);
                        } else if (w.startsWith("-")) {
                            throw new IllegalArgumentException(
                                    "curl option " + w + " is not one the test runs: " + command);
                        } else if (url != null) {
                            throw new IllegalArgumentException("a second URL (or a shell operator) in: " + command);
                        } else {
                            url = w;
                        }
                    }
                }
            }
            if (url == null) throw new IllegalArgumentException("no URL in: " + command);
            if (method == null) method = body == null ? "GET" : "POST";
            return new Curl(method, URI.create(url), Map.copyOf(headers), body);
        }

        private static String argument(List<String> words, int i, String option, String command) {
            if (i >= words.size()) throw new IllegalArgumentException(option + " without its argument in: " + command);
            return words.get(i);
        }

        /** The query parameters of the URL (decoded), in order. */
        Map<String, String> query() {
            Map<String, String> q = new LinkedHashMap<>();
            String raw = url.getRawQuery();
            if (raw == null) return q;
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                q.put(
                        java.net.URLDecoder.decode(k, StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(v, StandardCharsets.UTF_8));
            }
            return q;
        }
    }
}
