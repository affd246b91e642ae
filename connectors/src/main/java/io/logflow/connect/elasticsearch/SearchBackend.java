package io.logflow.connect.elasticsearch;

import java.io.IOException;

/**
 * Everything a task asks of Elasticsearch: {@link ElasticsearchGateway} in production. The seam lets the task's
 * flow control be tested with a stand-in whose answers the test decides; what an answer means is decided by {@link
 * BulkResults}, tested on parsed Elasticsearch responses.
 */
interface SearchBackend extends Indexer.Target, Retention.Indices, AutoCloseable {
    @Override
    void close() throws IOException;
}
