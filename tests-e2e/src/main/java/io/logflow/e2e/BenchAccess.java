package io.logflow.e2e;

import io.logflow.infra.LocalAccess;

/**
 * The credentials of the benchmark's requests to its own server (ADR 027): an admin's access token for reads and
 * rule writes, an ingest token for OTLP. Set once the server is up ({@code Bench}); none (no header) until then, or
 * when the server does not issue them. One benchmark runs at a time in this JVM, so they are process-wide.
 */
final class BenchAccess {
    private static volatile String read;
    private static volatile String ingest;
    private static volatile String ingestToken;

    private BenchAccess() {}

    /** @param accessToken a user's access token, or null; @param ingestToken an ingest token, or null */
    static void set(String accessToken, String ingestToken) {
        read = accessToken == null ? null : LocalAccess.bearer(accessToken);
        ingest = ingestToken == null ? null : LocalAccess.bearer(ingestToken);
        BenchAccess.ingestToken = ingestToken;
    }

    /** The ingest token itself (for an agent's {@code OTEL_EXPORTER_OTLP_HEADERS}), or null. */
    static String ingestToken() {
        return ingestToken;
    }

    /** The Authorization value for reads, or null. */
    static String read() {
        return read;
    }

    /** {@code Authorization} and its value for reads, or nothing: for {@code HttpRequest.Builder.headers}. */
    static String[] readHeaders() {
        String r = read;
        return r == null ? new String[0] : new String[] {"Authorization", r};
    }

    /** {@code Authorization} and its value for ingest, or nothing. */
    static String[] ingestHeaders() {
        String i = ingest;
        return i == null ? new String[0] : new String[] {"Authorization", i};
    }
}
