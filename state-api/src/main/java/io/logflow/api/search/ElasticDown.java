package io.logflow.api.search;

import io.logflow.api.web.DependencyDown;
import org.springframework.stereotype.Component;

/** Elasticsearch down ({@link SearchUnavailable}): a 503 of the search routes only. */
@Component
class ElasticDown implements DependencyDown {
    @Override
    public String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SearchUnavailable) return t.getMessage();
        }
        return null;
    }
}
