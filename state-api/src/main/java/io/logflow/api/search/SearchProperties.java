package io.logflow.api.search;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Search settings ({@code logflow.search.*}; environment overrides in {@code application.properties}).
 *
 * @param url the Elasticsearch to search ({@code ELASTICSEARCH_URL}; credentials as {@code https://user:pw@host});
 *     blank: search is off and answers 503
 * @param timeout how long one Elasticsearch request may take
 * @param logsAlias the alias over the daily log indices the sink writes
 * @param spansAlias the alias over the daily span indices
 * @param pitKeepAlive how long a search's point in time stays open after each page (a cursor older than that
 *     starts a new one)
 * @param connectUrl the Kafka Connect cluster running the sink ({@code KAFKA_CONNECT_URL}), for {@code /health};
 *     blank: not reported
 */
@ConfigurationProperties("logflow.search")
public record SearchProperties(
        String url, Duration timeout, String logsAlias, String spansAlias, Duration pitKeepAlive, String connectUrl) {}
