package io.logflow.api.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.api.web.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CursorTest {
    @Test
    void roundTrips() {
        Cursor c = new Cursor("pit-id==", List.of(1_765_000_000_000L, "evt-1", 42L), 10L, 20L, "abc");
        Cursor back = Cursor.decode("cursor", c.encode());
        assertThat(back).isEqualTo(c);
        assertThat(c.encode()).doesNotContain("=", "+", "/");
    }

    @Test
    void withoutPointInTime() {
        Cursor c = new Cursor(null, List.of(5L), 1L, 2L, "f");
        assertThat(Cursor.decode("cursor", c.encode()).pit()).isNull();
    }

    @Test
    void anythingElseIsA400NamingTheParameter() {
        for (String bad : List.of("x", "e30", "bm90IGpzb24", "eyJ2IjoyfQ", "eyJ2IjoxLCJhZnRlciI6W119")) {
            assertThatThrownBy(() -> Cursor.decode("cursor", bad))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("cursor");
        }
    }
}
