package io.logflow.connect.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ElasticsearchGatewayTest {
    @Test
    void aSuccessIsItsBody() throws IOException {
        assertThat(ElasticsearchGateway.checked(200, "{\"acknowledged\":true}", "PUT _index_template/x"))
                .isEqualTo("{\"acknowledged\":true}");
    }

    /** Rest5Client returns a 4xx as an answer, not an exception: a refused template must not pass as installed. */
    @Test
    void aRefusalIsAnErrorWithTheReason() {
        String refused = "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"unknown setting\"}}";
        assertThatThrownBy(() -> ElasticsearchGateway.checked(400, refused, "PUT _index_template/logflow-logs"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("400")
                .hasMessageContaining("PUT _index_template/logflow-logs")
                .hasMessageContaining("unknown setting");
        assertThatThrownBy(() -> ElasticsearchGateway.checked(403, "forbidden", "GET _cat/indices"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ElasticsearchGateway.checked(404, "x".repeat(2_000), "DELETE a"))
                .hasMessageEndingWith("…");
    }
}
