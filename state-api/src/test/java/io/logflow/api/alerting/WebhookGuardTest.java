package io.logflow.api.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.logflow.alerts.AlertRule;
import io.logflow.alerts.OutboundPolicy;
import io.logflow.alerts.RuleValidation;
import io.logflow.api.web.ApiException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/** The guard at save and at connect time, against a receiver on 127.0.0.1 (what an internal service would be). */
class WebhookGuardTest {
    HttpServer receiver;
    final AtomicInteger calls = new AtomicInteger();
    int port;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", ex -> {
            calls.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        port = receiver.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    static AlertRule rule(String url) {
        String body = "{\"name\":\"n\",\"condition\":\"greater_than\",\"threshold\":1,"
                + "\"notification_channel\":\"webhook\",\"notification_config\":{\"url\":\"" + url + "\"}}";
        var r = RuleValidation.validate(
                JsonMapper.builder().build().readTree(body), "r1", null, Instant.EPOCH, 1, null);
        return ((RuleValidation.Valid) r).rule();
    }

    /** POSTs through a client configured as the notifier's; the status, or the failure's root cause. */
    Object post(WebhookGuard guard, String url) {
        try {
            return HttpClient.create()
                    .resolver(guard.resolverGroup())
                    .followRedirect(false)
                    .post()
                    .uri(url)
                    .response()
                    .map(r -> r.status().code())
                    .block(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            Throwable t = e;
            while (t.getCause() != null) t = t.getCause();
            return t;
        }
    }

    @Test
    void atSave_theCloudMetadataUrl_isA400NamingTheField() {
        WebhookGuard guard = new WebhookGuard(OutboundPolicy.strict(), OutboundPolicy.SYSTEM);
        assertThatThrownBy(() -> guard.checked(rule("http://169.254.169.254/latest/meta-data"))
                        .block(Duration.ofSeconds(5)))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("notification_config.url: may not be reached: 169.254.169.254 is a link-local");
        AlertRule console = RuleValidation.validate(
                                JsonMapper.builder()
                                        .build()
                                        .readTree("{\"name\":\"n\",\"condition\":\"greater_than\",\"threshold\":1}"),
                                "r2",
                                null,
                                Instant.EPOCH,
                                1,
                                null)
                        instanceof RuleValidation.Valid v
                ? v.rule()
                : null;
        assertThat(guard.checked(console).block(Duration.ofSeconds(5))).isSameAs(console);
    }

    @Test
    void atSend_aLiteralLoopbackAddress_isNotConnectedTo_unlessAllowed() {
        Object refused = post(new WebhookGuard(OutboundPolicy.strict(), OutboundPolicy.SYSTEM), url("127.0.0.1"));
        assertThat(refused).isInstanceOf(OutboundPolicy.Refused.class);
        assertThat(((Throwable) refused).getMessage())
                .isEqualTo("127.0.0.1 is a loopback address; LOGFLOW_WEBHOOK_ALLOW can permit it");
        assertThat(calls).hasValue(0);

        Object sent =
                post(new WebhookGuard(OutboundPolicy.parse("127.0.0.1/32"), OutboundPolicy.SYSTEM), url("127.0.0.1"));
        assertThat(sent).isEqualTo(204);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aHostThatResolvedToAPublicAddressAtSave_andToLoopbackAtSend_isNotConnectedTo() {
        // DNS rebinding: the first answer (the save's check) is public, the next one internal
        AtomicInteger lookups = new AtomicInteger();
        OutboundPolicy.Resolver rebinding = host -> {
            if (!host.equals("hook.rebind.test")) throw new UnknownHostException(host);
            return new InetAddress[] {
                InetAddress.getByName(lookups.getAndIncrement() == 0 ? "93.184.216.34" : "127.0.0.1")
            };
        };
        WebhookGuard guard = new WebhookGuard(OutboundPolicy.strict(), rebinding);
        AlertRule saved = guard.checked(rule(url("hook.rebind.test"))).block(Duration.ofSeconds(5));
        assertThat(saved).isNotNull();

        Object refused = post(guard, saved.notificationUrl());
        assertThat(refused).isInstanceOf(OutboundPolicy.Refused.class);
        assertThat(((Throwable) refused).getMessage()).startsWith("hook.rebind.test (127.0.0.1) is a loopback address");
        assertThat(calls).hasValue(0);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void theConnection_goesToTheAddressTheGuardResolvedAndChecked() {
        // a name only this resolver knows: reaching the receiver proves the connection used its answer
        OutboundPolicy.Resolver dns = host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        Object sent = post(new WebhookGuard(OutboundPolicy.parse("127.0.0.1/32"), dns), url("hook.pinned.test"));
        assertThat(sent).isEqualTo(204);
        assertThat(calls).hasValue(1);
    }

    String url(String host) {
        return "http://" + host + ":" + port + "/hook?token=secret";
    }
}
