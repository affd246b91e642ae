package io.logflow.api.search;

/** Elasticsearch did not answer, answered 429 or 5xx, or search is not configured: search answers 503. */
final class SearchUnavailable extends RuntimeException {
    SearchUnavailable(String message) {
        super(message, null, false, false);
    }
}
