package io.logflow.api.alerting;

import io.logflow.alerts.AlertRule;
import io.logflow.alerts.OutboundPolicy;
import io.logflow.alerts.RuleJson;
import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Where webhook and Slack notifications may go (ADR 025), by {@link OutboundPolicy} with {@code
 * LOGFLOW_WEBHOOK_ALLOW}: checked when a rule is saved ({@link #checked}, a 400 naming {@code
 * notification_config.url}) and again at every send by the notifier's resolver ({@link #resolverGroup}),
 * which resolves the host once and hands the connection exactly the addresses it checked, so that a DNS
 * answer changed since the save (rebinding) cannot reach an internal address.
 */
@Component
class WebhookGuard {
    static final String URL_FIELD = RuleJson.NOTIFICATION_CONFIG + ".url";

    private final OutboundPolicy policy;
    private final OutboundPolicy.Resolver dns;

    @Autowired
    WebhookGuard(LogFlowProperties props) {
        this(allowList(props.alerts().webhookAllow()), OutboundPolicy.SYSTEM);
    }

    WebhookGuard(OutboundPolicy policy, OutboundPolicy.Resolver dns) {
        this.policy = policy;
        this.dns = dns;
    }

    private static OutboundPolicy allowList(String allow) {
        try {
            return OutboundPolicy.parse(allow);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LOGFLOW_WEBHOOK_ALLOW: " + e.getMessage(), e);
        }
    }

    /** The rule when its webhook / Slack URL may be posted to, else a 400 naming the field. */
    Mono<AlertRule> checked(AlertRule rule) {
        String url = rule.notificationUrl();
        if (!rule.channel().needsUrl() || url == null) return Mono.just(rule);
        return Mono.fromCallable(() -> policy.urlRefusal(url, dns))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(refusal -> Mono.<AlertRule>error(
                        ApiException.invalidFields(List.of(Map.of("field", URL_FIELD, "message", refusal)))))
                .switchIfEmpty(Mono.just(rule));
    }

    /** For Reactor Netty's {@code HttpClient.resolver}: every address, literals too, is checked before connecting. */
    AddressResolverGroup<InetSocketAddress> resolverGroup() {
        return new AddressResolverGroup<>() {
            @Override
            protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
                return new CheckingResolver(executor);
            }
        };
    }

    /** The addresses to connect to for this (resolved or unresolved) address, or {@link OutboundPolicy.Refused}. */
    List<InetSocketAddress> checkedAddresses(InetSocketAddress address) throws Exception {
        String host = address.getHostString();
        List<InetAddress> addresses;
        if (address.isUnresolved()) {
            addresses = policy.addresses(host, dns);
        } else {
            policy.check(host, address.getAddress());
            addresses = List.of(address.getAddress());
        }
        return addresses.stream()
                .map(a -> new InetSocketAddress(a, address.getPort()))
                .toList();
    }

    private final class CheckingResolver extends AbstractAddressResolver<InetSocketAddress> {
        CheckingResolver(EventExecutor executor) {
            super(executor, InetSocketAddress.class);
        }

        /** Never: an address literal in the URL is checked like a resolved name. */
        @Override
        protected boolean doIsResolved(InetSocketAddress address) {
            return false;
        }

        @Override
        protected void doResolve(InetSocketAddress address, Promise<InetSocketAddress> promise) {
            Mono.fromCallable(() -> checkedAddresses(address).get(0))
                    .subscribeOn(Schedulers.boundedElastic())
                    .subscribe(promise::trySuccess, promise::tryFailure);
        }

        @Override
        protected void doResolveAll(InetSocketAddress address, Promise<List<InetSocketAddress>> promise) {
            Mono.fromCallable(() -> checkedAddresses(address))
                    .subscribeOn(Schedulers.boundedElastic())
                    .subscribe(promise::trySuccess, promise::tryFailure);
        }
    }
}
