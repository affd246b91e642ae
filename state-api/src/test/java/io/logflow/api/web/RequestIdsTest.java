package io.logflow.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void traceparent_version00_givesItsTraceId() {
        assertThat(RequestIds.traceIdOf("00-" + TRACE + "-00f067aa0ba902b7-01")).isEqualTo(TRACE);
        assertThat(RequestIds.traceIdOf("00-" + TRACE + "-00f067aa0ba902b7-00"))
                .as("not sampled is still a trace")
                .isEqualTo(TRACE);
        assertThat(RequestIds.traceIdOf(" 00-" + TRACE + "-00f067aa0ba902b7-01 "))
                .as("surrounding blanks")
                .isEqualTo(TRACE);
    }

    @Test
    void traceparent_laterVersions_mayAppendFields() {
        assertThat(RequestIds.traceIdOf("01-" + TRACE + "-00f067aa0ba902b7-01")).isEqualTo(TRACE);
        assertThat(RequestIds.traceIdOf("cc-" + TRACE + "-00f067aa0ba902b7-01-what-comes-next"))
                .isEqualTo(TRACE);
        assertThat(RequestIds.traceIdOf("cc-" + TRACE + "-00f067aa0ba902b7-01x"))
                .as("no dash after the flags")
                .isNull();
    }

    @Test
    void traceparent_invalid_givesNull() {
        assertThat(RequestIds.traceIdOf(null)).isNull();
        assertThat(RequestIds.traceIdOf("")).isNull();
        assertThat(RequestIds.traceIdOf("00-" + TRACE + "-00f067aa0ba902b7-01-extra"))
                .as("version 00 has 4 fields")
                .isNull();
        assertThat(RequestIds.traceIdOf("ff-" + TRACE + "-00f067aa0ba902b7-01"))
                .as("version ff is forbidden")
                .isNull();
        assertThat(RequestIds.traceIdOf("00-" + TRACE.toUpperCase() + "-00f067aa0ba902b7-01"))
                .as("uppercase")
                .isNull();
        assertThat(RequestIds.traceIdOf("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
                .as("zero trace id")
                .isNull();
        assertThat(RequestIds.traceIdOf("00-" + TRACE + "-0000000000000000-01"))
                .as("zero parent id")
                .isNull();
        assertThat(RequestIds.traceIdOf("00-" + TRACE.substring(1) + "-00f067aa0ba902b7-01"))
                .as("short trace id")
                .isNull();
        assertThat(RequestIds.traceIdOf("00-" + TRACE + "-00f067aa0ba902b-701"))
                .as("dash misplaced")
                .isNull();
        assertThat(RequestIds.traceIdOf("00_" + TRACE + "_00f067aa0ba902b7_01"))
                .as("not dashes")
                .isNull();
        assertThat(RequestIds.traceIdOf("00-" + TRACE.replace('4', 'g') + "-00f067aa0ba902b7-01"))
                .as("not hex")
                .isNull();
        assertThat(RequestIds.traceIdOf("0-" + TRACE + "-00f067aa0ba902b7-01"))
                .as("short version")
                .isNull();
        assertThat(RequestIds.traceIdOf("00-" + TRACE + "-00f067aa0ba902b7-1"))
                .as("short flags")
                .isNull();
    }

    @Test
    void randomTraceIds_are32LowercaseHex_andDiffer() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = RequestIds.randomTraceId();
            assertThat(id).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
            assertThat(RequestIds.traceIdOf("00-" + id + "-00f067aa0ba902b7-01"))
                    .as("a valid W3C trace id")
                    .isEqualTo(id);
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }
}
