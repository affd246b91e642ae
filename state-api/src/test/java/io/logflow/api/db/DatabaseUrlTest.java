package io.logflow.api.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void readsThePostgresqlShape_withUserPasswordPortAndOptions() {
        DatabaseUrl u =
                DatabaseUrl.parse("postgresql://alice:s%40cret@db.example:6543/alerts?sslmode=require&schema=lf");
        assertThat(u.host()).isEqualTo("db.example");
        assertThat(u.port()).isEqualTo(6543);
        assertThat(u.user()).isEqualTo("alice");
        assertThat(u.password()).isEqualTo("s@cret");
        assertThat(u.database()).isEqualTo("alerts");
        assertThat(u.options()).containsEntry("sslmode", "require").containsEntry("schema", "lf");
        assertThat(u.toString()).doesNotContain("s@cret").contains("***");
    }

    @Test
    void readsTheR2dbcShapes_andDefaultsUserPortAndDatabase() {
        for (String url : new String[] {
            "r2dbc:postgresql://127.0.0.1",
            "r2dbc:pool:postgresql://127.0.0.1/",
            "postgres://127.0.0.1",
            "jdbc:postgresql://127.0.0.1:5432/logflow"
        }) {
            DatabaseUrl u = DatabaseUrl.parse(url);
            assertThat(u.host()).as(url).isEqualTo("127.0.0.1");
            assertThat(u.port()).as(url).isEqualTo(5432);
            assertThat(u.user()).as(url).isEqualTo("postgres");
            assertThat(u.password()).as(url).isNull();
            assertThat(u.database()).as(url).isEqualTo("logflow");
        }
    }

    @Test
    void rejectsOtherSchemes_andHidesThePasswordInTheMessage() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://bob:hunter2@h/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgresql://")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
