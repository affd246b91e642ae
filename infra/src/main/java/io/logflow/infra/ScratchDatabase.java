package io.logflow.infra;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A PostgreSQL database of its own for a LogFlow server that the benchmark or an end-to-end test
 * starts, dropped on close: alert rules and alert history written by a run never reach the {@code
 * logflow} database of the user's {@code ./logflow up}, and two runs never see each other's.
 *
 * <p>It lives on the PostgreSQL at 127.0.0.1:{@code LOGFLOW_POSTGRES_PORT} (5432) when one answers
 * there (user {@code postgres}, trust authentication, as {@code ./logflow up} uses it), else on one
 * started for the run from Maven Central's binaries ({@link LocalPostgres}), stopped on close. The
 * server creates the database on its first start; this class only names and drops it.
 */
public final class ScratchDatabase implements AutoCloseable {
    private final String name;
    private final int port;
    private final LocalPostgres started;
    private boolean closed;

    private ScratchDatabase(String name, int port, LocalPostgres started) {
        this.name = name;
        this.port = port;
        this.started = started;
    }

    /**
     * Names a new database {@code prefix_<random hex>} on the local PostgreSQL, starting one with its
     * cluster under {@code workDir} when none answers.
     *
     * @param prefix lower-case letters, digits and underscores, e.g. {@code logflow_bench}
     */
    public static ScratchDatabase create(String prefix, Path workDir) {
        String env = System.getenv("LOGFLOW_POSTGRES_PORT");
        return create(prefix, workDir, env == null || env.isBlank() ? 5432 : Integer.parseInt(env.trim()));
    }

    /** As {@link #create(String, Path)}, with the PostgreSQL looked for on {@code port}. */
    static ScratchDatabase create(String prefix, Path workDir, int port) {
        if (!prefix.matches("[a-z][a-z0-9_]{0,40}"))
            throw new IllegalArgumentException("not a database name prefix: " + prefix);
        String name = prefix + "_"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL)
                        .toLowerCase(Locale.ROOT);
        if (LocalPostgres.answers("127.0.0.1", port, Duration.ofSeconds(1)))
            return new ScratchDatabase(name, port, null);
        LocalPostgres pg = LocalPostgres.start(
                workDir.resolve("postgres"), ChildProcesses.freePort(), workDir.resolve("postgres.log"));
        return new ScratchDatabase(name, pg.port(), pg);
    }

    public String name() {
        return name;
    }

    /** Whether a PostgreSQL was started for this database (none answered on the local port). */
    public boolean startedPostgres() {
        return started != null;
    }

    /** The server's {@code DATABASE_URL}. */
    public String url() {
        return "postgresql://postgres@127.0.0.1:" + port + "/" + name;
    }

    /** Whether the database exists now (the server creates it on its first start). */
    public boolean exists() throws SQLException {
        try (Connection c = admin();
                var s = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            s.setString(1, name);
            try (var rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Drops the database (closing the connections still open to it), then stops the PostgreSQL
     * started for it, if any. A failure to drop is reported on stderr, not thrown: it must not hide
     * the outcome of the run that is being cleaned up. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop the scratch database " + name + ": " + e.getMessage());
        } finally {
            if (started != null) started.close();
        }
    }

    private Connection admin() throws SQLException {
        DriverManager.setLoginTimeout(10);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }
}
