package io.logflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real LogFlow server (own Spring context, own port, own state dir) against the test broker. */
final class Instance implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();
    // HTTP/1.1 as most shippers speak it (the JDK default tries an h2c upgrade on every request)
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** The first admin's password on the shared test database (AuthIT and others with their own have theirs). */
    static final String ADMIN_PASSWORD = "instance-admin-password";

    final ConfigurableApplicationContext context;
    final int port;
    final String base;
    private final String adminPassword;
    private volatile String adminAccess;
    private volatile String ingestToken;

    private Instance(ConfigurableApplicationContext context, String adminPassword) {
        this.context = context;
        this.adminPassword = adminPassword;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.base = "http://127.0.0.1:" + port;
    }

    /**
     * @param overrides any setting; with {@code logflow.kafka.bootstrap-servers} the shared test broker is not started,
     *     with {@code logflow.streams.state-dir} no temporary state directory is made
     */
    static Instance start(String applicationId, Map<String, Object> overrides) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("server.port", 0);
        props.put("server.address", "127.0.0.1");
        if (!overrides.containsKey("logflow.kafka.bootstrap-servers"))
            props.put("logflow.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        props.put("logflow.streams.application-id", applicationId);
        if (!overrides.containsKey("logflow.streams.state-dir")) {
            try {
                props.put(
                        "logflow.streams.state-dir",
                        Files.createTempDirectory("logflow-state-").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        props.put("logflow.streams.threads", 1);
        props.put("logflow.database.url", TestDatabase.url());
        // the first admin's generated password goes to a temporary file, never into the source tree
        try {
            props.put(
                    "logflow.auth.admin-password-file",
                    Files.createTempDirectory("logflow-admin-")
                            .resolve("admin-password")
                            .toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the first admin of the test database: every request of the helpers below is sent as this admin (or with an
        // ingest token it creates), unless the caller passes its own Authorization header
        props.put("logflow.auth.admin-password", ADMIN_PASSWORD);
        props.put("logflow.streams.close-timeout", "10s");
        props.put("spring.lifecycle.timeout-per-shutdown-phase", "5s");
        // every test request comes from 127.0.0.1: polling loops and logins would run into the limits of one
        // address; RateLimitsIT turns them on
        props.put("logflow.rate-limits.enabled", false);
        props.putAll(overrides);
        List<String> args = new ArrayList<>();
        props.forEach((k, v) -> args.add("--" + k + "=" + v));
        Instance instance = new Instance(
                new SpringApplicationBuilder(LogFlowApplication.class).run(args.toArray(String[]::new)),
                String.valueOf(props.get("logflow.auth.admin-password")));
        return instance;
    }

    /** Waits until /health is 200 (Kafka reachable, Streams RUNNING, tail running). */
    Instance awaitHealthy() {
        Awaitility.await("healthy " + base)
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> get("/health").status == 200);
        return this;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    record Response(int status, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            for (var e : headers.entrySet())
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            return null;
        }
    }

    Response get(String path, String... headers) {
        return authorized(
                "GET",
                path,
                headers,
                () -> HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .GET());
    }

    /**
     * A GET retried while it answers 503 (at most 30 s), as the API asks clients to: right after
     * start, a probing rebalance can move a store's task for a moment.
     */
    Response getAvailable(String path) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Response r = get(path);
        while (r.status() == 503 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
            r = get(path);
        }
        return r;
    }

    Response post(String path, String contentType, String body, String... headers) {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Response post(String path, String contentType, byte[] body, String... headers) {
        return authorized(
                "POST",
                path,
                headers,
                () -> HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** Any method; a JSON body when {@code body} is not null. */
    Response request(String method, String path, String body, String... headers) {
        return authorized(method, path, headers, () -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) b.header("Content-Type", "application/json");
            return b;
        });
    }

    /**
     * Sends with the caller's headers; without an {@code Authorization} among them, as the admin (or with the
     * ingest token on ingest routes), logging in again once when the access token has expired meanwhile.
     */
    private Response authorized(
            String method, String path, String[] headers, java.util.function.Supplier<HttpRequest.Builder> request) {
        boolean own = false;
        for (int i = 0; i < headers.length; i += 2) own |= headers[i].equalsIgnoreCase("Authorization");
        for (int attempt = 0; ; attempt++) {
            HttpRequest.Builder b = request.get();
            for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
            boolean open = access(method, path) == io.logflow.api.auth.Access.OPEN;
            if (!own && !open) b.header("Authorization", authorizationFor(method, path));
            Response r = send(b.build());
            if (own || open || r.status() != 401 || attempt > 0 || isIngest(method, path)) return r;
            adminAccess = null;
        }
    }

    private String authorizationFor(String method, String path) {
        return switch (access(method, path)) {
            case INGEST -> "Bearer " + ingestToken();
            // the test speaks as another instance of the deployment would
            case INTERNAL ->
                "Bearer "
                        + bean(io.logflow.api.auth.AccessTokens.class)
                                .clusterToken("tests")
                                .token();
            default -> bearer();
        };
    }

    private static boolean isIngest(String method, String path) {
        return access(method, path) == io.logflow.api.auth.Access.INGEST;
    }

    private static io.logflow.api.auth.Access access(String method, String path) {
        int q = path.indexOf('?');
        return io.logflow.api.auth.Access.of(
                org.springframework.http.HttpMethod.valueOf(method), q < 0 ? path : path.substring(0, q));
    }

    /**
     * {@code Bearer <access token>} of the first admin (with the password this instance was started with), logging in
     * when there is none yet.
     */
    String bearer() {
        String a = adminAccess;
        if (a == null) {
            a = "Bearer " + login("admin", adminPassword());
            adminAccess = a;
        }
        return a;
    }

    /** The first admin's password: as given, or as generated into the password file. */
    private String adminPassword() {
        if (!adminPassword.isEmpty()) return adminPassword;
        try {
            return Files.readString(Path.of(bean(io.logflow.api.config.LogFlowProperties.class)
                            .auth()
                            .adminPasswordFile()
                            .toString()))
                    .strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code Bearer <access token>} of a new user with this role, created by the admin. */
    String userBearer(String username, String role) {
        String password = "pw-of-" + username + "-long-enough";
        Response r = request(
                "POST",
                "/api/v1/auth/users",
                JSON.writeValueAsString(Map.of("username", username, "password", password, "role", role)));
        assertThat(r.status()).as("create " + username + ": " + r.body()).isEqualTo(201);
        return "Bearer " + login(username, password);
    }

    /** A user's access token; fails the test when the login does. */
    String login(String username, String password) {
        Response r = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("username", username, "password", password))))
                .build());
        assertThat(r.status()).as("login of " + username + ": " + r.body()).isEqualTo(200);
        return r.json().get("access_token").asString();
    }

    /** A fresh stream ticket of the admin ({@code ?ticket=} on {@code /api/v1/stream/**}). */
    String ticket() {
        Response r = request("POST", "/api/v1/auth/stream-ticket", null);
        assertThat(r.status()).as("stream ticket: " + r.body()).isEqualTo(200);
        return r.json().get("ticket").asString();
    }

    /** An ingest token of this test run, created by the admin the first time it is needed. */
    synchronized String ingestToken() {
        if (ingestToken == null) {
            Response r = request(
                    "POST",
                    "/api/v1/auth/tokens",
                    "{\"name\":\"tests-"
                            + java.util.UUID.randomUUID().toString().substring(0, 8) + "\"}");
            assertThat(r.status()).as("ingest token: " + r.body()).isEqualTo(201);
            ingestToken = r.json().get("token").asString();
        }
        return ingestToken;
    }

    /** A response whose body is kept as bytes (protobuf answers). */
    record BinaryResponse(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            for (var e : headers.entrySet())
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            return null;
        }

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    BinaryResponse postForBytes(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        boolean own = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            own |= headers[i].equalsIgnoreCase("Authorization");
        }
        if (!own) b.header("Authorization", authorizationFor("POST", path));
        try {
            HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new BinaryResponse(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTs NDJSON and checks that every line was accepted. */
    void ingest(List<String> ndjsonLines) {
        Response r = post("/api/v1/logs", "application/x-ndjson", String.join("\n", ndjsonLines));
        assertThat(r.status).as(r.body).isEqualTo(202);
        assertThat(r.json().get("accepted").asInt()).as(r.body).isEqualTo(ndjsonLines.size());
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (java.net.http.HttpTimeoutException e) {
            // the server runs in this JVM: show what it was doing
            StringBuilder dump =
                    new StringBuilder("request timed out: " + request.method() + " " + request.uri() + "; threads:\n");
            for (java.lang.management.ThreadInfo t :
                    java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
                dump.append(t);
            System.err.println(dump);
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
