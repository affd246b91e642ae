package io.logflow.api.db;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Versioned SQL files ({@code db/migration/V<n>__<name>.sql}) applied in order, each in its own
 * transaction, recorded in {@code schema_migrations} with a checksum (an applied file that was edited
 * afterwards stops the start). Instances starting together take turns through a PostgreSQL advisory
 * lock. Runs on R2DBC like everything else: no JDBC driver (ADR 010).
 */
public final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    private static final Pattern FILE = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");
    /** Advisory lock key: "LogFlow" in ASCII. */
    static final long LOCK_KEY = 0x4c6f67466c6f77L;

    record Migration(int version, String name, String sql, String checksum) {}

    private Migrations() {}

    /** The migrations on the classpath, by version. */
    static List<Migration> load() {
        try {
            List<Migration> out = new ArrayList<>();
            for (Resource r :
                    new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/V*.sql")) {
                Matcher m = FILE.matcher(r.getFilename() == null ? "" : r.getFilename());
                if (!m.matches())
                    throw new IllegalStateException("migration file name must be V<n>__<name>.sql: " + r.getFilename());
                String sql;
                try (InputStream in = r.getInputStream()) {
                    sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                out.add(new Migration(Integer.parseInt(m.group(1)), m.group(2), sql, sha256(sql)));
            }
            out.sort(Comparator.comparingInt(Migration::version));
            for (int i = 1; i < out.size(); i++) {
                if (out.get(i).version() == out.get(i - 1).version())
                    throw new IllegalStateException(
                            "two migrations with version " + out.get(i).version());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read db/migration", e);
        }
    }

    /** Applies what is missing; returns the versions applied now. */
    static List<Integer> apply(ConnectionFactory factory, List<Migration> migrations, Duration timeout) {
        return Mono.usingWhen(Mono.from(factory.create()), c -> apply(c, migrations), c -> Mono.from(c.close()))
                .block(timeout);
    }

    private static Mono<List<Integer>> apply(Connection c, List<Migration> migrations) {
        Mono<Void> lock = run(c.createStatement("SELECT pg_advisory_lock(" + LOCK_KEY + ")"));
        Mono<Void> unlock = run(c.createStatement("SELECT pg_advisory_unlock(" + LOCK_KEY + ")"));
        Mono<Void> table = run(c.createStatement("CREATE TABLE IF NOT EXISTS schema_migrations ("
                + "version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, "
                + "applied_at timestamptz NOT NULL DEFAULT now())"));
        Mono<Map<Integer, String>> applied = Flux.from(
                        c.createStatement("SELECT version, checksum FROM schema_migrations")
                                .execute())
                .flatMap(r -> r.map(
                        (row, meta) -> Map.entry(row.get("version", Integer.class), row.get("checksum", String.class))))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
        Mono<List<Integer>> work = applied.flatMap(done -> Flux.fromIterable(migrations)
                .concatMap(m -> {
                    String checksum = done.get(m.version());
                    if (checksum != null) {
                        if (!checksum.equals(m.checksum())) {
                            return Mono.error(new IllegalStateException("migration V" + m.version() + "__" + m.name()
                                    + " was changed after it was applied (checksum " + m.checksum() + ", applied "
                                    + checksum + "); add a new migration instead"));
                        }
                        return Mono.empty();
                    }
                    return applyOne(c, m).thenReturn(m.version());
                })
                .collectList());
        return lock.then(table)
                .then(work)
                .flatMap(v -> unlock.thenReturn(v))
                .onErrorResume(e -> unlock.onErrorResume(x -> Mono.empty()).then(Mono.error(e)));
    }

    private static Mono<Void> applyOne(Connection c, Migration m) {
        var record = c.createStatement("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)")
                .bind("$1", m.version())
                .bind("$2", m.name())
                .bind("$3", m.checksum());
        return Mono.from(c.beginTransaction())
                .then(run(c.createStatement(m.sql())))
                .then(run(record))
                .then(Mono.from(c.commitTransaction()))
                .doOnSuccess(v -> log.info("applied database migration V{}__{}", m.version(), m.name()))
                .onErrorResume(e -> Mono.from(c.rollbackTransaction())
                        .onErrorResume(x -> Mono.empty())
                        .then(Mono.error(new IllegalStateException(
                                "migration V" + m.version() + "__" + m.name() + " failed: " + e.getMessage(), e))));
    }

    /** Executes a statement (possibly several, without parameters) and drains every result. */
    public static Mono<Void> run(io.r2dbc.spi.Statement s) {
        return Flux.from(s.execute()).flatMap(Result::getRowsUpdated).then();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
