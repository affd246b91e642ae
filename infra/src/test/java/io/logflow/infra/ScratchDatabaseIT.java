package io.logflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchDatabaseIT {
    @TempDir
    Path dir;

    @Test
    void onTheRunningPostgres_aDatabaseOfItsOwn_droppedOnClose_evenWithAConnectionOpen() throws Exception {
        assumeThat(LocalPostgres.answers("127.0.0.1", 5432, Duration.ofSeconds(1)))
                .as("a PostgreSQL on 127.0.0.1:5432")
                .isTrue();
        ScratchDatabase a = ScratchDatabase.create("logflow_scratch_it", dir, 5432);
        ScratchDatabase b = ScratchDatabase.create("logflow_scratch_it", dir, 5432);
        try {
            assertThat(a.startedPostgres()).isFalse();
            assertThat(a.name()).startsWith("logflow_scratch_it_").isNotEqualTo(b.name());
            assertThat(a.url()).isEqualTo("postgresql://postgres@127.0.0.1:5432/" + a.name());
            assertThat(a.exists()).isFalse();
            createAndKeepOpen(a, () -> {
                assertThat(a.exists()).isTrue();
                a.close(); // what the server holds open when a run is cut short
                assertThat(b.exists()).isFalse();
            });
            assertThat(a.exists()).isFalse();
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void withNoPostgresOnThePort_oneIsStartedForIt_andStoppedOnClose() throws Exception {
        int port = ChildProcesses.freePort();
        ScratchDatabase db = ScratchDatabase.create("logflow_scratch_it", dir, port);
        try {
            assertThat(db.startedPostgres()).isTrue();
            createAndKeepOpen(db, () -> assertThat(db.exists()).isTrue());
        } finally {
            db.close();
        }
        assertThat(LocalPostgres.answers("127.0.0.1", port(db), Duration.ofMillis(500)))
                .as("stopped on close")
                .isFalse();
    }

    private static int port(ScratchDatabase db) {
        return Integer.parseInt(db.url().replaceAll(".*:(\\d+)/.*", "$1"));
    }

    interface Check {
        void run() throws Exception;
    }

    /**
     * Creates the database as the server does on its first start and runs {@code check} with a connection to it open.
     */
    private static void createAndKeepOpen(ScratchDatabase db, Check check) throws Exception {
        int port = port(db);
        try (Connection admin = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
                Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE \"" + db.name() + "\"");
        }
        try (Connection open =
                DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db.name(), "postgres", "")) {
            check.run();
        }
    }
}
