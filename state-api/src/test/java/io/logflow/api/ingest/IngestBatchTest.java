package io.logflow.api.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IngestBatchTest {
    static final long NOW = 1_767_225_600_000L;

    static IngestBatch parse(String body, boolean ndjson) {
        return IngestBatch.parse(body.getBytes(StandardCharsets.UTF_8), ndjson, NOW);
    }

    @Test
    void oneObject_isOneEntry_keyedByItsService() {
        IngestBatch b = parse("  {\"service\":\"api\",\"message\":\"hi\"}\n", false);
        assertThat(b.accepted).hasSize(1);
        assertThat(b.accepted.get(0).service()).isEqualTo("api");
        assertThat(new String(b.accepted.get(0).json(), StandardCharsets.UTF_8))
                .isEqualTo("{\"service\":\"api\",\"message\":\"hi\"}");
    }

    @Test
    void array_entriesAreValidatedOneByOne() {
        IngestBatch b =
                parse("[{\"message\":\"a\"}, 42, {\"level\":\"INFO\"}, {\"msg\":\"b\",\"service.name\":\"x\"}]", false);
        assertThat(b.accepted).extracting(IngestBatch.Accepted::index).containsExactly(0, 3);
        assertThat(b.accepted).extracting(IngestBatch.Accepted::service).containsExactly("unknown", "x");
        assertThat(b.rejected).extracting(IngestBatch.Rejected::index).containsExactly(1, 2);
        assertThat(b.rejected.get(0).reason()).contains("not a JSON object");
        assertThat(b.rejected.get(1).reason()).contains("message");
    }

    @Test
    void ndjson_skipsBlankLines_andRejectsBadLinesAlone() {
        String body = "{\"message\":\"a\"}\r\n\n   \nnot "
                + "json\n{\"message\":\"b\",\"timestamp\":\"never\"}\n{\"message\":\"c\"}";
        for (boolean declared : new boolean[] {true, false}) {
            IngestBatch b = parse(body, declared);
            assertThat(b.accepted).extracting(IngestBatch.Accepted::index).containsExactly(0, 3);
            assertThat(b.rejected).extracting(IngestBatch.Rejected::index).containsExactly(1, 2);
            assertThat(b.rejected.get(0).reason()).contains("JSON");
            assertThat(b.rejected.get(1).reason()).contains("timestamp");
            assertThat(new String(b.accepted.get(0).json(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"message\":\"a\"}");
        }
    }

    @Test
    void entriesOverTheRecordLimit_areRejected() {
        String huge = "{\"message\":\"" + "x".repeat(1024 * 1024) + "\"}";
        IngestBatch b = parse(huge + "\n{\"message\":\"ok\"}", true);
        assertThat(b.accepted).hasSize(1);
        assertThat(b.rejected.get(0).reason()).contains("exceeds");
    }

    @Test
    void emptyOrNonJsonBodies_are400() {
        assertThatThrownBy(() -> parse("  \n ", false))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status.value()).isEqualTo(400));
        assertThatThrownBy(() -> parse("hello", false))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status.value()).isEqualTo(400));
        assertThatThrownBy(() -> parse("[{\"message\":", false))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status.value()).isEqualTo(400));
    }

    @Test
    void rejectionReasonsAreCapped_butCountedExactly() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < IngestBatch.MAX_ERRORS_LISTED + 5; i++) body.append("nope\n");
        IngestBatch b = parse(body.toString(), true);
        assertThat(b.rejectedCount()).isEqualTo(IngestBatch.MAX_ERRORS_LISTED + 5);
        assertThat(b.rejected).hasSize(IngestBatch.MAX_ERRORS_LISTED);
    }
}
