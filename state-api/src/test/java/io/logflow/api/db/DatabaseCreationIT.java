package io.logflow.api.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Instances of one deployment starting at the same moment on a new database: every one of them gets through the
 * database's creation (real PostgreSQL; CREATE DATABASE racing fails with 42P04 or 23505 for all but one).
 */
class DatabaseCreationIT {
    static final int INSTANCES = 6;

    @Test
    void instancesStartingTogether_allGetTheDatabase() throws Exception {
        String name = "logflow_race_" + UUID.randomUUID().toString().substring(0, 8);
        DatabaseUrl url = DatabaseUrl.parse(
                System.getProperty("logflow.test.postgres", "postgresql://postgres@127.0.0.1:5432/") + name);
        ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
        try {
            for (int round = 0; round < 3; round++) {
                CountDownLatch go = new CountDownLatch(1);
                DatabaseUrl u = url.withDatabase(name + "_" + round);
                List<Future<?>> starts = new ArrayList<>();
                for (int i = 0; i < INSTANCES; i++) {
                    starts.add(pool.submit(() -> {
                        go.await();
                        Database.createIfMissing(u, Duration.ofSeconds(10));
                        return null;
                    }));
                }
                go.countDown(); // all at once
                for (Future<?> f : starts) f.get(); // throws if one instance failed
                assertThat(exists(url, u.database())).isTrue();
            }
        } finally {
            pool.shutdownNow();
            for (int round = 0; round < 3; round++) drop(url, name + "_" + round);
        }
    }

    static boolean exists(DatabaseUrl url, String database) {
        io.r2dbc.spi.ConnectionFactory admin = Database.factory(url.withDatabase("postgres"), Duration.ofSeconds(5));
        return Boolean.TRUE.equals(Mono.usingWhen(
                        Mono.from(admin.create()),
                        c -> Flux.from(c.createStatement("SELECT 1 FROM pg_database WHERE datname = $1")
                                        .bind("$1", database)
                                        .execute())
                                .flatMap(r -> r.map((row, meta) -> 1))
                                .hasElements(),
                        c -> Mono.from(c.close()))
                .block(Duration.ofSeconds(10)));
    }

    static void drop(DatabaseUrl url, String database) {
        io.r2dbc.spi.ConnectionFactory admin = Database.factory(url.withDatabase("postgres"), Duration.ofSeconds(5));
        Mono.usingWhen(
                        Mono.from(admin.create()),
                        c -> Flux.from(c.createStatement("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)")
                                        .execute())
                                .then(),
                        c -> Mono.from(c.close()))
                .block(Duration.ofSeconds(10));
    }
}
