/**
 * A Kafka Connect sink that indexes LogFlow's normalised logs ({@code logflow.logs}, ECS JSON) and spans ({@code
 * logflow.spans}) into daily Elasticsearch indices behind aliases, idempotently (document ids from the records),
 * committing offsets only for what Elasticsearch acknowledged. See the module's README.md.
 *
 * <p>Only {@link io.logflow.connect.elasticsearch.ElasticsearchSinkConnector} and {@link
 * io.logflow.connect.elasticsearch.ElasticsearchSinkTask} are public, as Connect needs; everything else is
 * package-private.
 */
package io.logflow.connect.elasticsearch;
