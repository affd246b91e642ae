package io.logflow.api.db;

import io.logflow.api.config.LogFlowProperties;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.client.SSLMode;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * PostgreSQL (alert rules, triggered alerts, notifications) through R2DBC: a connection pool and
 * Spring's {@link DatabaseClient}. At start — before anything reads it — the database of {@code
 * DATABASE_URL} is created if it does not exist and the migrations are applied (ADR 010). A
 * PostgreSQL that does not answer stops the start with a message saying so.
 */
@Configuration(proxyBeanMethods = false)
public class Database {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_$-]{0,62}");

    @Bean(destroyMethod = "dispose")
    ConnectionPool alertsConnectionPool(LogFlowProperties props) {
        LogFlowProperties.Database db = props.database();
        DatabaseUrl url = DatabaseUrl.parse(db.url());
        Duration timeout = db.connectTimeout();
        long t0 = System.nanoTime();
        createIfMissing(url, timeout);
        List<Integer> applied = Migrations.apply(factory(url, timeout), Migrations.load(), timeout.multipliedBy(6));
        log.info(
                "PostgreSQL {} ready in {} ms{}",
                url,
                (System.nanoTime() - t0) / 1_000_000,
                applied.isEmpty() ? "" : " (applied migrations " + applied + ")");
        return new ConnectionPool(ConnectionPoolConfiguration.builder(factory(url, timeout))
                .name("logflow")
                .initialSize(1)
                .maxSize(db.poolSize())
                .maxIdleTime(Duration.ofMinutes(10))
                .maxAcquireTime(timeout)
                .build());
    }

    @Bean
    DatabaseClient alertsDatabase(ConnectionPool pool) {
        return DatabaseClient.create(pool);
    }

    public static ConnectionFactory factory(DatabaseUrl url, Duration timeout) {
        PostgresqlConnectionConfiguration.Builder b = PostgresqlConnectionConfiguration.builder()
                .host(url.host())
                .port(url.port())
                .username(url.user())
                .database(url.database())
                .applicationName("logflow")
                .connectTimeout(timeout);
        if (url.password() != null) b.password(url.password());
        String sslMode = url.options().get("sslmode");
        if (sslMode != null) b.sslMode(SSLMode.fromValue(sslMode));
        String schema = url.options().get("schema");
        if (schema != null) b.schema(schema);
        return new PostgresqlConnectionFactory(b.build());
    }

    /**
     * Creates the database of {@code url} when it does not exist yet, connected to the server's {@code
     * postgres} database. Instances racing are fine ({@link #createdMeanwhile}).
     */
    static void createIfMissing(DatabaseUrl url, Duration timeout) {
        if ("postgres".equals(url.database())) return;
        if (!SAFE_NAME.matcher(url.database()).matches()) {
            throw new IllegalStateException(
                    "database name '" + url.database() + "' in DATABASE_URL: use letters, digits, _, $ or -");
        }
        ConnectionFactory admin = factory(url.withDatabase("postgres"), timeout);
        try {
            Boolean created = Mono.usingWhen(
                            Mono.from(admin.create()),
                            c -> Flux.from(c.createStatement("SELECT 1 FROM pg_database WHERE datname = $1")
                                            .bind("$1", url.database())
                                            .execute())
                                    .flatMap(r -> r.map((row, meta) -> 1))
                                    .hasElements()
                                    .flatMap(exists -> exists
                                            ? Mono.just(false)
                                            : Migrations.run(c.createStatement(
                                                            "CREATE DATABASE \"" + url.database() + "\""))
                                                    .thenReturn(true)
                                                    .onErrorResume(Database::createdMeanwhile, e -> Mono.just(false))),
                            c -> Mono.from(c.close()))
                    .block(timeout.multipliedBy(3));
            if (Boolean.TRUE.equals(created))
                log.info("created database {} on {}:{}", url.database(), url.host(), url.port());
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "PostgreSQL at " + url + " is not usable: " + rootMessage(e)
                            + " (set DATABASE_URL, e.g. postgresql://user:password@host:5432/logflow)",
                    e);
        }
    }

    /**
     * True when {@code e} (or a cause) says PostgreSQL cannot be reached or used right now — refused or
     * lost connection, pool acquire timeout, server shutting down or starting up — as opposed to a bad
     * statement. Requests failing so are answered 503 with Retry-After: the alerting feature is degraded,
     * not the server.
     */
    public static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException
                    || t instanceof R2dbcNonTransientResourceException
                    || t instanceof R2dbcTransientResourceException
                    || t instanceof R2dbcTimeoutException) return true;
            if (t instanceof R2dbcException r && r.getSqlState() != null) {
                String state = r.getSqlState();
                // 08: connection exception; 57P01-57P03: admin/crash shutdown, cannot connect now
                if (state.startsWith("08") || state.startsWith("57P")) return true;
            }
        }
        return false;
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /**
     * {@code CREATE DATABASE} failed because another instance created it at the same moment: 42P04
     * (duplicate_database) when it had committed, 23505 (unique_violation on {@code pg_database}) when both ran at
     * once — instances starting together, seen in InstanceFailoverIT on a quiet machine.
     */
    static boolean createdMeanwhile(Throwable e) {
        return e instanceof R2dbcException r && ("42P04".equals(r.getSqlState()) || "23505".equals(r.getSqlState()));
    }
}
