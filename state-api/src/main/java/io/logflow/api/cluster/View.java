package io.logflow.api.cluster;

import io.logflow.model.schema.StoreSpec;
import java.util.Map;
import java.util.function.Function;
import org.springframework.util.MultiValueMap;

/**
 * One queryable view of a state store, declared once: what an instance reads from its own
 * partitions, and how the asking instance addresses that read to another instance ({@code GET
 * /internal/v1/{name}} with the arguments as query parameters). {@link Cluster} runs it on the
 * key's owner ({@link Cluster#byKey}) or on every instance ({@link Cluster#fanOut}); {@link
 * InternalHandler} answers it for other instances. The query class that declares a view merges its
 * parts.
 *
 * @param name the path segment under {@code /internal/v1/}
 * @param store the store whose partitions decide which instance answers (for the arguments)
 * @param partType what one instance answers (a JSON record)
 * @param toQuery the arguments as query parameters (null values are left out)
 * @param fromQuery the arguments parsed back from those parameters (a 400 when malformed)
 * @param read this instance's part for the arguments: blocking (RocksDB), run on boundedElastic
 * @param <A> the arguments of one read
 * @param <P> the part one instance answers
 */
public record View<A, P extends Part>(
        String name,
        Function<A, StoreSpec<String, ?>> store,
        Class<P> partType,
        Function<A, Map<String, ?>> toQuery,
        Function<MultiValueMap<String, String>, A> fromQuery,
        Function<A, P> read) {

    /** A view of one store whatever the arguments. */
    public static <A, P extends Part> View<A, P> of(
            String name,
            StoreSpec<String, ?> store,
            Class<P> partType,
            Function<A, Map<String, ?>> toQuery,
            Function<MultiValueMap<String, String>, A> fromQuery,
            Function<A, P> read) {
        return new View<>(name, args -> store, partType, toQuery, fromQuery, read);
    }

    /** The path other instances answer this view on. */
    public String path() {
        return InternalHandler.PREFIX + "/" + name;
    }
}
