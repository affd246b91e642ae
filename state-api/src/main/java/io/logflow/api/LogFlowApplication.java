package io.logflow.api;

import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.search.SearchProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The LogFlow server: HTTP API in front of the embedded Kafka Streams topology. */
@SpringBootApplication
@EnableConfigurationProperties({LogFlowProperties.class, SearchProperties.class})
public class LogFlowApplication {
    public static void main(String[] args) {
        SpringApplication.run(LogFlowApplication.class, args);
    }
}
