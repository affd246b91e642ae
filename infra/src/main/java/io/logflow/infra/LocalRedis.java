package io.logflow.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis for {@code ./logflow up} on a machine that has none answering: the {@code redis-server} binary (6.2)
 * shipped in a Maven Central jar (codemonstur's embedded-redis), run as a child process on 127.0.0.1 only, with a
 * password generated at each start ({@code requirepass}, in a config file only its owner reads, never on a command
 * line), no persistence ({@code save ""}: it holds a cache, nothing to keep) and a memory cap with LRU eviction.
 * Stopped with SIGTERM.
 */
public final class LocalRedis implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final String password;
    private final Path logFile;
    private final Thread shutdownHook;

    private LocalRedis(Process process, int port, String password, Path logFile) {
        this.process = process;
        this.port = port;
        this.password = password;
        this.logFile = logFile;
        this.shutdownHook = ChildProcesses.stopOnExit(process, STOP_TIMEOUT, "local-redis-shutdown");
    }

    /** What answered a PING at an address. */
    public enum Probe {
        /** a Redis that takes commands without a password */
        ANSWERS,
        /** a Redis that wants a password (or a user): usable only through a {@code REDIS_URL} that has it */
        NEEDS_PASSWORD,
        /** something listens there, but it does not speak Redis */
        NOT_REDIS,
        /** nothing accepts connections there */
        NOTHING
    }

    /** Sends {@code PING} to host:port and classifies the first line of the answer ({@link #classify}). */
    public static Probe probe(String host, int port, Duration timeout) {
        try (Socket s = new Socket()) {
            try {
                s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            } catch (IOException e) {
                return Probe.NOTHING;
            }
            try {
                s.setSoTimeout((int) timeout.toMillis());
                s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                return classify(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                        .readLine());
            } catch (IOException e) {
                return Probe.NOT_REDIS; // it took the connection but gave no Redis answer in time
            }
        } catch (IOException e) {
            return Probe.NOTHING;
        }
    }

    /** The answer to PING: {@code +PONG}, a {@code -NOAUTH} (or {@code -NOPERM}) error, or anything else. */
    static Probe classify(String firstLine) {
        if (firstLine == null) return Probe.NOT_REDIS;
        if (firstLine.equals("+PONG")) return Probe.ANSWERS;
        if (firstLine.startsWith("-NOAUTH") || firstLine.startsWith("-NOPERM")) return Probe.NEEDS_PASSWORD;
        return Probe.NOT_REDIS;
    }

    /**
     * Starts Redis on 127.0.0.1:{@code port} (0: a free one), its binary and config in {@code dir}, its output in
     * {@code logFile}, and waits until it answers an authenticated PING.
     *
     * @throws IllegalStateException when the port is taken or Redis does not start
     */
    public static LocalRedis start(Path dir, int port, Path logFile) {
        return start(dir, port, newPassword(), logFile);
    }

    /**
     * As {@link #start(Path, int, Path)} with a password chosen before (the benchmark gives its server the URL of a
     * Redis it starts later: {@link #url(int, String)}).
     */
    public static LocalRedis start(Path dir, int port, String password, Path logFile) {
        int p = port == 0 ? ChildProcesses.freePort() : port;
        if (LocalPostgres.answers("127.0.0.1", p, Duration.ofMillis(300))) {
            throw new IllegalStateException("port " + p + " is already in use; set REDIS_URL or LOGFLOW_REDIS_PORT");
        }
        try {
            Path home = dir.toAbsolutePath();
            Files.createDirectories(home.resolve("bin"));
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Path binary = ExecutableProvider.newJarResourceProvider(
                            home.resolve("bin").toFile())
                    .get()
                    .toPath();
            Path config = home.resolve("redis.conf");
            writeOwnerOnly(config, String.join("\n", config(p, password, home)) + "\n");
            Process process = new ProcessBuilder(binary.toString(), config.toString())
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            LocalRedis redis = new LocalRedis(process, p, password, logFile);
            try {
                redis.awaitReady();
            } catch (RuntimeException e) {
                redis.close();
                throw e;
            }
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Redis in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The lines of redis.conf: loopback only, a password, no persistence, at most 256 MB (LRU beyond). */
    static List<String> config(int port, String password, Path dir) {
        return List.of(
                "bind 127.0.0.1",
                "port " + port,
                "protected-mode yes",
                "requirepass " + password,
                "save \"\"",
                "appendonly no",
                "maxmemory 256mb",
                "maxmemory-policy allkeys-lru",
                "daemonize no",
                "logfile \"\"",
                "dir \"" + dir + "\"");
    }

    /** 20 random bytes, hex: nothing in it needs escaping in a URL or in redis.conf. */
    public static String newPassword() {
        byte[] b = new byte[20];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Redis exited with code " + process.exitValue()
                        + " during start-up; its log:\n" + ChildProcesses.tail(logFile, 20));
            }
            if (authenticatedPing()) return;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("Redis did not answer within " + READY_TIMEOUT.toSeconds() + " s; its log:\n"
                + ChildProcesses.tail(logFile, 20));
    }

    /** AUTH and PING in one round trip: true when both say yes. */
    private boolean authenticatedPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write(("AUTH " + password + "\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            return "+OK".equals(in.readLine()) && "+PONG".equals(in.readLine());
        } catch (IOException e) {
            return false;
        }
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    public int port() {
        return port;
    }

    /** The REDIS_URL of this server, password included: for the LogFlow server's environment, never a terminal. */
    public String url() {
        return url(port, password);
    }

    /** The REDIS_URL of a LocalRedis on {@code port} with {@code password}. */
    public static String url(int port, String password) {
        return "redis://:" + password + "@127.0.0.1:" + port;
    }

    public Path logFile() {
        return logFile;
    }

    /** Stops Redis (SIGTERM: it exits without saving anything, as configured). */
    @Override
    public void close() {
        ChildProcesses.stop(process, STOP_TIMEOUT);
        ChildProcesses.removeShutdownHook(shutdownHook);
    }
}
