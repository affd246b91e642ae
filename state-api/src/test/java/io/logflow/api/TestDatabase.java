package io.logflow.api;

import io.logflow.api.db.Database;
import io.logflow.api.db.DatabaseUrl;
import io.logflow.api.db.Migrations;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Mono;

/**
 * One PostgreSQL database per test JVM on the real server ({@code DATABASE_URL}'s server, default
 * 127.0.0.1:5432): LogFlow creates it on first start; it is dropped at exit, so runs never collide.
 */
final class TestDatabase {
    static final String NAME =
            "logflow_it_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    private static DatabaseUrl url;
    /** Further databases of this JVM ({@link #another}), dropped at exit too. */
    private static final java.util.List<String> OTHERS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private TestDatabase() {}

    /** The DATABASE_URL the test servers use. */
    static synchronized String url() {
        if (url == null) {
            String base = System.getenv("DATABASE_URL");
            url = DatabaseUrl.parse(
                            base == null || base.isBlank() ? "postgresql://postgres@127.0.0.1:5432/postgres" : base)
                    .withDatabase(NAME);
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::drop, "test-database-drop"));
        }
        return "postgresql://" + url.user() + (url.password() == null ? "" : ":" + url.password()) + "@" + url.host()
                + ":" + url.port() + "/" + NAME;
    }

    /** The DATABASE_URL of a second database on the same server, for a test that needs an empty one. */
    static synchronized String another(String suffix) {
        String base = url();
        String name = NAME + "_" + suffix;
        OTHERS.add(name);
        return base.substring(0, base.lastIndexOf('/') + 1) + name;
    }

    private static void drop() {
        drop(NAME);
        OTHERS.forEach(TestDatabase::drop);
    }

    private static void drop(String name) {
        var admin = Database.factory(url.withDatabase("postgres"), Duration.ofSeconds(5));
        try {
            Mono.usingWhen(
                            Mono.from(admin.create()),
                            c -> Migrations.run(
                                    c.createStatement("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)")),
                            c -> Mono.from(c.close()))
                    .block(Duration.ofSeconds(20));
        } catch (RuntimeException e) {
            System.err.println("could not drop test database " + name + ": " + e);
        }
    }
}
