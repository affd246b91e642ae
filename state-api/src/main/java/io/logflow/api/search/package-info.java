/**
 * Full-text search over what the Kafka Connect sink ({@code connectors/}) put into Elasticsearch: log search with
 * the query syntax users already type (Lucene / Kibana style), a count histogram and a cursor that pages without a
 * 10,000-hit wall ({@code search_after} over a point in time), one log by its event id, and the lines around it.
 *
 * <p>{@link io.logflow.api.search.Elastic} is the one Elasticsearch client of the server, made on first use, so a
 * server whose Elasticsearch is down or not configured starts and serves everything else; search then answers 503
 * with Retry-After ({@link io.logflow.api.search.ElasticDown}). The query text is rewritten ({@link
 * io.logflow.api.search.QueryText}: LogFlow's short field names to the ECS ones) and parsed by Elasticsearch's own
 * {@code query_string}; a syntax error comes back as a 400 naming {@code q} and the column. Cursors are opaque and
 * self-contained ({@link io.logflow.api.search.Cursor}), so any instance continues any other's.
 *
 * <p>May use {@code web} (parameters, problems, responses), {@code config}, {@code cache} (a first page is cached for
 * the short TTL) and the model's index names; nothing else of the server uses this package but the route table.
 */
package io.logflow.api.search;
