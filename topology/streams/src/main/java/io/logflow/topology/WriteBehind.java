package io.logflow.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * Stores that keep the values their processor writes as objects until the task commits, and write
 * each changed key to the store underneath (RocksDB and its changelog) once per commit, serialised
 * once (docs/adr/014-write-behind-stores.md).
 *
 * <p>A processor that updates one aggregate per record (a trace's state, a minute's span metrics, a
 * service's counts) reads it, changes it in place and puts it back; through a record cache every
 * put serialises the whole value again, so a trace of n spans costs n encodings of a state that
 * grows with n. Here a put only remembers the object; {@link #flushCache()}, which Kafka Streams
 * calls on every store of a task before it flushes the task's producer and commits the input
 * offsets in the same transaction, writes the last value of each changed key. What is committed
 * therefore holds every update whose input offset is committed: exactly-once is kept. A task that
 * fails before committing is closed dirty and its state restored from the changelog; {@link
 * #init} forgets every object, so nothing outlives its transaction.
 *
 * <p>The stream thread that writes the store (its only writer) also reads through it: its point
 * reads see the objects (written ones, and the last {@code maxObjects} read, found or not), so a
 * value is decoded once, not per record. Every other thread, interactive queries included, reads
 * the store underneath: what was written up to the last commit (100 ms), never an object a
 * processor is changing. Range reads always go to the store underneath; the processors using
 * these stores only read points.
 *
 * <p>The hook is Kafka Streams' {@code CachedStateStore.flushCache()}, the call its own record
 * cache uses to send dirty entries before a commit; it is an internal interface, guarded by
 * {@code WriteBehindTest} (a commit writes the changelog) and {@code LogFlowTopologyIT} (stores
 * restored from their changelogs hold every count).
 */
final class WriteBehind {
    private WriteBehind() {}

    /** Told, on the stream thread, about each key and window at a commit, right after it was written underneath. */
    @FunctionalInterface
    interface FlushListener {
        void flushed(int partition, String key, long windowStart);

        FlushListener NONE = (partition, key, windowStart) -> {};
    }

    /**
     * Work processors want done at each commit of their task just before a store writes what it
     * holds, e.g. derive the values they put there once per commit instead of once per record. A
     * processor registers in {@code init} and unregisters in {@code close}.
     */
    static final class BeforeFlush {
        private final ConcurrentHashMap<TaskId, Runnable> byTask = new ConcurrentHashMap<>();

        void register(TaskId task, Runnable work) {
            byTask.put(task, work);
        }

        /** Only this processor's own registration: a task moving between threads may be open on the new one already. */
        void unregister(TaskId task, Runnable work) {
            byTask.remove(task, work);
        }

        void run(TaskId task) {
            Runnable work = byTask.get(task);
            if (work != null) work.run();
        }

        static final BeforeFlush NONE = new BeforeFlush();
    }

    /** Marks a key known to be absent among the remembered objects. */
    private static final Object ABSENT = new Object();

    /**
     * A window store in front of {@code inner} (built uncached: this layer coalesces the puts of a
     * commit itself), remembering up to {@code maxObjects} read values.
     */
    static <V> StoreBuilder<WindowStore<String, V>> window(
            StoreBuilder<WindowStore<String, V>> inner, int maxObjects, FlushListener listener) {
        return window(inner, maxObjects, listener, BeforeFlush.NONE);
    }

    /** As {@link #window(StoreBuilder, int, FlushListener)}, running {@code before} at each commit before writing. */
    static <V> StoreBuilder<WindowStore<String, V>> window(
            StoreBuilder<WindowStore<String, V>> inner, int maxObjects, FlushListener listener, BeforeFlush before) {
        return new Builder<>(inner, () -> new WindowLayer<>(inner.build(), maxObjects, listener, before));
    }

    /** A key-value store in front of {@code inner}, as {@link #window}. */
    static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(
            StoreBuilder<KeyValueStore<String, V>> inner, int maxObjects) {
        return new Builder<>(inner, () -> new KeyValueLayer<>(inner.build(), maxObjects));
    }

    /**
     * The objects of one store, used by its owner thread only: the thread that first wrote since the
     * store was opened (the stream thread processing the task; whichever thread opened the store,
     * e.g. while restoring, never matters). Before that write, every read goes underneath.
     */
    private static final class Remembered<K, V> {
        final Map<K, Object> remembered;
        /** Written since the last commit, in the order first written; a null value deletes. */
        final Map<K, V> dirty = new java.util.LinkedHashMap<>();
        /** Read by other threads too: they never equal it, stale or not, so they read underneath. */
        private volatile Thread owner;

        Remembered(int maxObjects) {
            if (maxObjects < 1) throw new IllegalArgumentException("maxObjects must be >= 1");
            remembered = Lru.map(maxObjects);
        }

        boolean mine() {
            return Thread.currentThread() == owner;
        }

        void reset() {
            owner = null;
            remembered.clear();
            dirty.clear();
        }

        void put(K key, V value) {
            if (owner == null) owner = Thread.currentThread();
            else if (!mine())
                throw new IllegalStateException("a write-behind store is written by one stream thread only");
            remembered.put(key, value == null ? ABSENT : value);
            dirty.put(key, value);
        }

        @SuppressWarnings("unchecked")
        V get(K key, java.util.function.Function<K, V> underneath) {
            Object o = remembered.get(key);
            if (o == null) {
                // forgotten but still to be written: the store underneath does not have it yet
                V v = dirty.containsKey(key) ? dirty.get(key) : underneath.apply(key);
                remembered.put(key, v == null ? ABSENT : v);
                return v;
            }
            return o == ABSENT ? null : (V) o;
        }
    }

    private record WindowKey(String key, long windowStart) {}

    /** What both layers share: the objects, the commit, and the store underneath for everything else. */
    private abstract static class Layer<S extends StateStore, K, V> implements StateStore, CachedStateStore<String, V> {
        final S inner;
        final Remembered<K, V> objects;
        TaskId task;

        Layer(S inner, int maxObjects) {
            this.inner = inner;
            this.objects = new Remembered<>(maxObjects);
        }

        @Override
        public void init(StateStoreContext context, StateStore root) {
            objects.reset();
            task = context.taskId();
            inner.init(context, root);
        }

        /** Writes the dirty objects underneath and forgets they were dirty. */
        abstract void writeDirty();

        @Override
        public void flushCache() {
            writeDirty();
            if (inner instanceof CachedStateStore<?, ?> cached) cached.flushCache();
        }

        @Override
        public void clearCache() {
            objects.remembered.clear();
            objects.dirty.clear();
            if (inner instanceof CachedStateStore<?, ?> cached) cached.clearCache();
        }

        @Override
        public boolean setFlushListener(CacheFlushListener<String, V> l, boolean sendOldValues) {
            return false;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        @SuppressWarnings("deprecation")
        public void flush() {
            inner.flush();
        }

        @Override
        public void commit(Map<TopicPartition, Long> changelogOffsets) {
            inner.commit(changelogOffsets);
        }

        @Override
        public Long committedOffset(TopicPartition partition) {
            return inner.committedOffset(partition);
        }

        @Override
        public boolean managesOffsets() {
            return inner.managesOffsets();
        }

        @Override
        public void close() {
            objects.remembered.clear();
            objects.dirty.clear();
            inner.close();
        }

        @Override
        public boolean persistent() {
            return inner.persistent();
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
            return inner.query(query, positionBound, config);
        }

        @Override
        public Position getPosition() {
            return inner.getPosition();
        }
    }

    static final class WindowLayer<V> extends Layer<WindowStore<String, V>, WindowKey, V>
            implements WindowStore<String, V> {
        private final FlushListener listener;
        private final BeforeFlush before;

        WindowLayer(WindowStore<String, V> inner, int maxObjects, FlushListener listener, BeforeFlush before) {
            super(inner, maxObjects);
            this.listener = listener;
            this.before = before;
        }

        @Override
        public void put(String key, V value, long windowStart) {
            objects.put(new WindowKey(key, windowStart), value);
        }

        @Override
        public V fetch(String key, long time) {
            if (!objects.mine()) return inner.fetch(key, time);
            return objects.get(new WindowKey(key, time), k -> inner.fetch(k.key(), k.windowStart()));
        }

        @Override
        void writeDirty() {
            before.run(task);
            for (Map.Entry<WindowKey, V> e : objects.dirty.entrySet()) {
                WindowKey k = e.getKey();
                inner.put(k.key(), e.getValue(), k.windowStart());
                listener.flushed(task.partition(), k.key(), k.windowStart()); // once the value is underneath
            }
            objects.dirty.clear();
        }

        // reads of ranges go to the store underneath

        @Override
        public WindowStoreIterator<V> fetch(String key, long timeFrom, long timeTo) {
            return inner.fetch(key, timeFrom, timeTo);
        }

        @Override
        public WindowStoreIterator<V> fetch(String key, Instant timeFrom, Instant timeTo) {
            return inner.fetch(key, timeFrom, timeTo);
        }

        @Override
        public WindowStoreIterator<V> backwardFetch(String key, long timeFrom, long timeTo) {
            return inner.backwardFetch(key, timeFrom, timeTo);
        }

        @Override
        public WindowStoreIterator<V> backwardFetch(String key, Instant timeFrom, Instant timeTo) {
            return inner.backwardFetch(key, timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<String>, V> fetch(String keyFrom, String keyTo, long timeFrom, long timeTo) {
            return inner.fetch(keyFrom, keyTo, timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<String>, V> fetch(
                String keyFrom, String keyTo, Instant timeFrom, Instant timeTo) {
            return inner.fetch(keyFrom, keyTo, timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<String>, V> backwardFetch(
                String keyFrom, String keyTo, long timeFrom, long timeTo) {
            return inner.backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<String>, V> backwardFetch(
                String keyFrom, String keyTo, Instant timeFrom, Instant timeTo) {
            return inner.backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<String>, V> fetchAll(long timeFrom, long timeTo) {
            return inner.fetchAll(timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<String>, V> fetchAll(Instant timeFrom, Instant timeTo) {
            return inner.fetchAll(timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<String>, V> backwardFetchAll(long timeFrom, long timeTo) {
            return inner.backwardFetchAll(timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<String>, V> backwardFetchAll(Instant timeFrom, Instant timeTo) {
            return inner.backwardFetchAll(timeFrom, timeTo);
        }

        @Override
        public KeyValueIterator<Windowed<String>, V> all() {
            return inner.all();
        }

        @Override
        public KeyValueIterator<Windowed<String>, V> backwardAll() {
            return inner.backwardAll();
        }
    }

    static final class KeyValueLayer<V> extends Layer<KeyValueStore<String, V>, String, V>
            implements KeyValueStore<String, V> {
        KeyValueLayer(KeyValueStore<String, V> inner, int maxObjects) {
            super(inner, maxObjects);
        }

        @Override
        public void put(String key, V value) {
            objects.put(key, value);
        }

        @Override
        public V get(String key) {
            if (!objects.mine()) return inner.get(key);
            return objects.get(key, inner::get);
        }

        @Override
        public V putIfAbsent(String key, V value) {
            V old = get(key);
            if (old == null) put(key, value);
            return old;
        }

        @Override
        public void putAll(List<org.apache.kafka.streams.KeyValue<String, V>> entries) {
            for (org.apache.kafka.streams.KeyValue<String, V> e : entries) put(e.key, e.value);
        }

        @Override
        public V delete(String key) {
            V old = get(key);
            put(key, null);
            return old;
        }

        @Override
        void writeDirty() {
            if (objects.dirty.isEmpty()) return;
            List<org.apache.kafka.streams.KeyValue<String, V>> batch = new ArrayList<>(objects.dirty.size());
            for (Map.Entry<String, V> e : objects.dirty.entrySet())
                batch.add(org.apache.kafka.streams.KeyValue.pair(e.getKey(), e.getValue()));
            objects.dirty.clear();
            inner.putAll(batch);
        }

        @Override
        public KeyValueIterator<String, V> range(String from, String to) {
            return inner.range(from, to);
        }

        @Override
        public KeyValueIterator<String, V> reverseRange(String from, String to) {
            return inner.reverseRange(from, to);
        }

        @Override
        public KeyValueIterator<String, V> all() {
            return inner.all();
        }

        @Override
        public KeyValueIterator<String, V> reverseAll() {
            return inner.reverseAll();
        }

        @Override
        public <PS extends org.apache.kafka.common.serialization.Serializer<P>, P>
                KeyValueIterator<String, V> prefixScan(P prefix, PS prefixKeySerializer) {
            return inner.prefixScan(prefix, prefixKeySerializer);
        }

        @Override
        public long approximateNumEntries() {
            return inner.approximateNumEntries();
        }
    }

    /** Builds the layer over what {@code inner} builds; logging and caching settings are {@code inner}'s. */
    private static final class Builder<S extends StateStore> implements StoreBuilder<S> {
        private final StoreBuilder<S> inner;
        private final java.util.function.Supplier<S> build;

        Builder(StoreBuilder<S> inner, java.util.function.Supplier<S> build) {
            this.inner = Objects.requireNonNull(inner);
            this.build = build;
        }

        @Override
        public StoreBuilder<S> withCachingEnabled() {
            throw new UnsupportedOperationException(
                    "a write-behind store coalesces writes itself: build the store underneath uncached");
        }

        @Override
        public StoreBuilder<S> withCachingDisabled() {
            inner.withCachingDisabled();
            return this;
        }

        @Override
        public StoreBuilder<S> withLoggingEnabled(Map<String, String> config) {
            inner.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<S> withLoggingDisabled() {
            inner.withLoggingDisabled();
            return this;
        }

        @Override
        public S build() {
            return build.get();
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
