package io.logflow.api.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Event loops and connection pools owned by this application context (the HTTP server and the
 * client that forwards queries to other instances), instead of Reactor Netty's JVM-wide globals,
 * which the default factory disposes when any context closes. Keeps several instances in one JVM
 * (the integration tests) independent of each other.
 */
@Configuration(proxyBeanMethods = false)
class NettyResources {
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }
}
