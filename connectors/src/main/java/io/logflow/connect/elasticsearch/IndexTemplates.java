package io.logflow.connect.elasticsearch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The composable index templates ({@code PUT _index_template/<prefix>}) that give every daily index its mappings,
 * settings and alias. Only core Elasticsearch features: no data streams, ILM, ingest pipelines, scripts,
 * analysis-common analyzers or scaled_float. The mappings are resources beside this class ({@code
 * logs-mappings.json}, {@code spans-mappings.json}).
 *
 * <p>{@code labels}, {@code attributes} and {@code resource} are objects with {@code subobjects: false}: their keys
 * are dotted names from the original logs and spans ({@code http.route}, and also {@code http} in another log),
 * which would clash as object paths. Every field under them, and every other new string field, is a keyword.
 * Dynamic fields past the index's field limit are kept in {@code _source} but not indexed, rather than failing
 * the document ({@code index.mapping.total_fields.ignore_dynamic_beyond_limit}).
 */
final class IndexTemplates {
    private IndexTemplates() {}

    /** Above Elasticsearch's built-in templates (100 and below for theirs), so ours decide for our patterns. */
    static final int PRIORITY = 200;

    static final String MANAGED_BY = "logflow-elasticsearch-sink";

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /** A template's name and its request body. */
    record Template(String name, String json) {
        Template {
            requireNonNull(name, "name");
            requireNonNull(json, "json");
        }
    }

    static Template logs(IndexNames names, int shards, int replicas) {
        return template(names, shards, replicas, "logs-mappings.json");
    }

    static Template spans(IndexNames names, int shards, int replicas) {
        return template(names, shards, replicas, "spans-mappings.json");
    }

    private static Template template(IndexNames names, int shards, int replicas, String mappingsResource) {
        ObjectNode body = MAPPER.createObjectNode();
        body.putArray("index_patterns").add(names.pattern());
        body.put("priority", PRIORITY);
        ObjectNode template = body.putObject("template");
        ObjectNode index = template.putObject("settings").putObject("index");
        index.put("number_of_shards", shards);
        index.put("number_of_replicas", replicas);
        index.putObject("mapping").putObject("total_fields").put("ignore_dynamic_beyond_limit", true);
        template.putObject("aliases").putObject(names.alias());
        template.set("mappings", mappings(mappingsResource));
        ObjectNode meta = body.putObject("_meta");
        meta.put("managed_by", MANAGED_BY);
        meta.put("description", "Daily " + names.pattern() + " indices behind the alias " + names.alias());
        try {
            return new Template(names.template(), MAPPER.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode mappings(String resource) {
        try (InputStream in = IndexTemplates.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
