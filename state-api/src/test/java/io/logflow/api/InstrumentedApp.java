package io.logflow.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.logging.Logger;

/**
 * A plain JVM program for {@link OtelAgentIT}, run under the OpenTelemetry Java agent: each HTTP call
 * becomes a CLIENT span (the agent's java-http-client instrumentation), each java.util.logging line
 * an OTLP log record. Only JDK classes, so it runs from the test classes alone.
 */
public final class InstrumentedApp {
    private InstrumentedApp() {}

    /** @param args the URL to call, how many times */
    public static void main(String[] args) throws Exception {
        Logger log = Logger.getLogger("io.logflow.it.InstrumentedApp");
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int calls = Integer.parseInt(args[1]);
        for (int i = 0; i < calls; i++) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(args[0])).build(), HttpResponse.BodyHandlers.ofString());
            log.warning("instrumented call " + i + " answered " + r.statusCode());
        }
        // the agent flushes spans, logs and metrics when the JVM exits
    }
}
