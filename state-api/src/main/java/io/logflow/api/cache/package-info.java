/**
 * The Redis cache of the expensive query answers, shared by every instance of a deployment ({@code REDIS_URL};
 * empty: no cache). {@code CacheKey} says what an answer is (endpoint, parsed parameters) and, purely, its Redis
 * key and TTL: long for a range whose windows have closed, short (with "now" rounded in the key) for one reaching
 * into the open minute. {@code AnswerCache} is what a handler calls; {@code RedisCache} the one lettuce connection
 * (reactive, a short timeout on every command, reconnecting by itself; Redis down only makes answers uncached);
 * {@code CacheHandler} answers {@code GET /api/v1/cache/stats}. Uses {@code config} (settings, metrics), {@code web}
 * (responses, {@code Staleness}) and lettuce-core only (no spring-data-redis); {@code query} and {@code search} use
 * it.
 */
package io.logflow.api.cache;
