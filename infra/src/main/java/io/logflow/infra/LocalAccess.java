package io.logflow.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How LogFlow's own tools get in (ADR 027): the first admin's password ({@code LOGFLOW_ADMIN_PASSWORD}, else the
 * file {@code .logflow/admin-password} the server wrote), a login for an access token ({@code POST
 * /api/v1/auth/login}), and the local demo's ingest token ({@code POST /api/v1/auth/tokens}, kept in {@code
 * .logflow/ingest-token}, owner-only), sent as {@code Authorization: Bearer} on {@code POST /api/v1/logs} and, by
 * OpenTelemetry agents, through {@code OTEL_EXPORTER_OTLP_HEADERS}. The one place that knows these routes' shapes.
 */
public final class LocalAccess {
    public static final String ADMIN = "admin";
    /** The name of the ingest token {@code ./logflow up} creates for the local demo. */
    public static final String DEMO_TOKEN_NAME = "local-demo";

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private LocalAccess() {}

    /** Where the server writes a generated first-admin password under LogFlow's home ({@code .logflow}). */
    public static Path adminPasswordFile(Path home) {
        return home.resolve("admin-password");
    }

    /** Where {@code ./logflow up} keeps the local demo's ingest token. */
    public static Path ingestTokenFile(Path home) {
        return home.resolve("ingest-token");
    }

    /**
     * The admin's password: {@code LOGFLOW_ADMIN_PASSWORD} when set, else the first line of the file the server wrote
     * ({@link #adminPasswordFile}), else empty.
     */
    public static Optional<String> adminPassword(String fromEnv, Path passwordFile) {
        if (fromEnv != null && !fromEnv.isEmpty()) return Optional.of(fromEnv);
        return firstLine(passwordFile);
    }

    /** The local demo's ingest token, when {@code ./logflow up} (or the user) wrote one. */
    public static Optional<String> ingestToken(Path home) {
        return firstLine(ingestTokenFile(home));
    }

    /** The ingest token for LogFlow's own senders: {@code LOGFLOW_INGEST_TOKEN} when set, else the demo's file. */
    public static Optional<String> ingestToken(String fromEnv, Path home) {
        if (fromEnv != null && !fromEnv.isBlank()) return Optional.of(fromEnv.strip());
        return ingestToken(home);
    }

    /** The value of an {@code Authorization} header carrying {@code token}. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /**
     * {@code OTEL_EXPORTER_OTLP_HEADERS} carrying the token: {@code Authorization=Bearer%20<token>}. The variable is a
     * W3C-Baggage-like list whose values are percent-encoded (RFC 3986: everything but the unreserved characters),
     * so the space is {@code %20}, and a {@code +} is encoded too (Java's agent decodes a bare one as a space).
     */
    public static String otlpHeaders(String token) {
        return "Authorization=" + percentEncode(bearer(token));
    }

    static String percentEncode(String value) {
        StringBuilder b = new StringBuilder();
        for (byte c : value.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0)
                b.append((char) c);
            else b.append('%').append(String.format("%02X", c & 0xff));
        }
        return b.toString();
    }

    /** Which call failed. */
    public enum Step {
        /** no admin password to log in with */
        PASSWORD,
        LOGIN,
        CREATE_TOKEN,
        WRITE_FILE
    }

    /** A refused or failed call: {@code status} 0 when the server did not answer. */
    public static final class AccessException extends RuntimeException {
        private final Step step;
        private final int status;

        public AccessException(Step step, int status, String message) {
            super(message);
            this.step = step;
            this.status = status;
        }

        public Step step() {
            return step;
        }

        public int status() {
            return status;
        }
    }

    /** Logs in: the access token (a JWT for {@code Authorization: Bearer}). */
    public static String login(URI base, String username, String password) {
        String body = "{\"username\":" + jsonString(username) + ",\"password\":" + jsonString(password) + "}";
        HttpResponse<String> r = send(
                Step.LOGIN,
                HttpRequest.newBuilder(base.resolve("/api/v1/auth/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 200)
            throw new AccessException(Step.LOGIN, r.statusCode(), "login as " + username + ": HTTP " + r.statusCode());
        return stringField(r.body(), "access_token")
                .orElseThrow(() -> new AccessException(Step.LOGIN, r.statusCode(), "login answered no access_token"));
    }

    /** Creates a named ingest token as an admin ({@code access}): the token, shown this once. */
    public static String createIngestToken(URI base, String access, String name) {
        HttpResponse<String> r = send(
                Step.CREATE_TOKEN,
                HttpRequest.newBuilder(base.resolve("/api/v1/auth/tokens"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", bearer(access))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":" + jsonString(name) + "}")));
        if (r.statusCode() != 201 && r.statusCode() != 200)
            throw new AccessException(
                    Step.CREATE_TOKEN, r.statusCode(), "creating ingest token " + name + ": HTTP " + r.statusCode());
        return stringField(r.body(), "token")
                .orElseThrow(() -> new AccessException(
                        Step.CREATE_TOKEN, r.statusCode(), "the new ingest token's answer has no token"));
    }

    /** What {@link #provision} did. */
    public enum Provisioned {
        /** the file was there already */
        EXISTING,
        /** a token was created and written */
        CREATED
    }

    /**
     * Makes sure {@code .logflow/ingest-token} holds a token: when it is absent, logs in as the admin and creates one
     * named {@link #DEMO_TOKEN_NAME}.
     *
     * @throws AccessException when there is no admin password to use, or the login or the creation is refused
     */
    public static Provisioned provision(URI base, Path home, String adminPasswordEnv, Path passwordFile) {
        if (ingestToken(home).isPresent()) return Provisioned.EXISTING;
        String password = adminPassword(adminPasswordEnv, passwordFile)
                .orElseThrow(() -> new AccessException(
                        Step.PASSWORD, 0, "no admin password: neither LOGFLOW_ADMIN_PASSWORD nor " + passwordFile));
        String token = createIngestToken(base, login(base, ADMIN, password), DEMO_TOKEN_NAME);
        try {
            writeOwnerOnly(ingestTokenFile(home), token + "\n");
        } catch (IOException e) {
            throw new AccessException(
                    Step.WRITE_FILE, 0, "cannot write " + ingestTokenFile(home) + ": " + e.getMessage());
        }
        return Provisioned.CREATED;
    }

    /** The first line of a file, trimmed, when it exists and is not blank. */
    static Optional<String> firstLine(Path file) {
        try {
            if (!Files.isRegularFile(file)) return Optional.empty();
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            int nl = s.indexOf('\n');
            String line = (nl < 0 ? s : s.substring(0, nl)).strip();
            return line.isEmpty() ? Optional.empty() : Optional.of(line);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Writes a file only its owner can read or write (POSIX 600), created so from the start. */
    static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static HttpResponse<String> send(Step step, HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AccessException(step, 0, "no answer from LogFlow: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AccessException(step, 0, "interrupted");
        }
    }

    /**
     * A top-level string field of a small JSON answer (tokens, never escaped), without a JSON library on the
     * launcher's classpath.
     */
    static Optional<String> stringField(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(json);
        return m.find() ? Optional.of(m.group(1).replace("\\/", "/")) : Optional.empty();
    }

    /** A JSON string literal. */
    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
