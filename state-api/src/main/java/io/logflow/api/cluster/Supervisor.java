package io.logflow.api.cluster;

import io.logflow.api.config.LogFlowMetrics;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.internals.StreamThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restart supervision of this instance's Kafka Streams (self-healing, ADR 017): a failed stream thread is replaced;
 * any other failed thread (the global thread: it cannot be replaced) closes the client; and a client in ERROR, or one
 * that did not start, is replaced by a new one after a backoff (1 s doubling to 60 s), counted in {@code
 * logflow_streams_restarts_total} and explained by {@link #downReason()}. Replacing the client is {@link
 * StreamsRuntime}'s {@code restart}, which this runs on its own thread ({@code logflow-streams-supervisor}).
 */
final class Supervisor {
    static final Duration FIRST_RESTART_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(60);

    // logged as before this class was split out of StreamsRuntime
    private static final Logger log = LoggerFactory.getLogger(StreamsRuntime.class);

    private final LogFlowMetrics metrics;
    /** Closes the failed client and starts a new one (see {@link #restarting()}). */
    private final Runnable restart;

    /** Whether Kafka Streams is to run: from {@link #start} to {@link #stop}. */
    private volatile boolean running;

    /**
     * Held while a restart is scheduled; never wait for the runtime's lifecycle lock under it (state listeners take
     * it on Kafka Streams' threads, which the lifecycle lock's holder may be waiting for).
     */
    private final Object restartLock = new Object();

    private volatile ScheduledThreadPoolExecutor executor;
    private final AtomicInteger restarts = new AtomicInteger();
    /** Why Kafka Streams is not running (the last failure), or null. */
    private volatile String downReason;
    /** The last uncaught exception of a Kafka Streams thread, described. */
    private volatile String lastFailure;
    /** {@link System#nanoTime()} when the current client reached RUNNING, 0 while it is not running. */
    private volatile long runningSince;
    // under restartLock
    private boolean restartPending;
    private Duration nextRestartDelay = FIRST_RESTART_DELAY;

    /** @param restart the runtime's restart: closes the failed client and starts a new one, on the supervisor thread */
    Supervisor(LogFlowMetrics metrics, Runnable restart) {
        this.metrics = metrics;
        this.restart = restart;
    }

    /** Kafka Streams is to run from now on (under the runtime's lifecycle lock, before its first client starts). */
    void start() {
        ScheduledThreadPoolExecutor sup = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "logflow-streams-supervisor");
            t.setDaemon(true);
            return t;
        });
        sup.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor = sup;
        running = true;
    }

    /** Kafka Streams is to stop: no restart is scheduled any more, a scheduled one is dropped. */
    void stop() {
        synchronized (restartLock) {
            running = false;
        }
        ScheduledThreadPoolExecutor sup = executor;
        if (sup != null) sup.shutdown();
    }

    boolean running() {
        return running;
    }

    /** A new client is about to start: no failure of it yet. */
    void clientStarting() {
        lastFailure = null;
    }

    /**
     * A stream thread is replaced; any other thread (the global thread, which Kafka Streams cannot replace: it casts
     * the failing thread to a stream thread) closes the client, which goes to ERROR and is restarted with backoff.
     */
    StreamThreadExceptionResponse onUncaughtException(Throwable e) {
        Thread thread = Thread.currentThread();
        StreamThreadExceptionResponse response = responseFor(thread);
        lastFailure = thread.getName() + " failed: " + describe(e);
        if (response == StreamThreadExceptionResponse.REPLACE_THREAD)
            log.error("stream thread {} failed; replacing it", thread.getName(), e);
        else log.error("{} failed; closing Kafka Streams, it will be restarted", thread.getName(), e);
        return response;
    }

    /** What to do when {@code failed} dies (the thread running the handler: Kafka Streams calls it on that thread). */
    static StreamThreadExceptionResponse responseFor(Thread failed) {
        return failed instanceof StreamThread
                ? StreamThreadExceptionResponse.REPLACE_THREAD
                : StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The current client changed state: RUNNING, it is up; ERROR, it is restarted. */
    void stateChanged(KafkaStreams.State now) {
        if (now == KafkaStreams.State.RUNNING) {
            runningSince = System.nanoTime();
            downReason = null;
        } else if (now == KafkaStreams.State.ERROR) {
            String why = lastFailure;
            scheduleRestart(why != null ? why : "Kafka Streams went to ERROR");
        }
    }

    /** Restarts the client after the next backoff delay, unless stopping or a restart is already scheduled. */
    void scheduleRestart(String reason) {
        synchronized (restartLock) {
            downReason = reason;
            if (!running || restartPending) return;
            long since = runningSince;
            runningSince = 0;
            // ran well for a while since the last failure: start the backoff over
            if (since != 0 && System.nanoTime() - since > MAX_RESTART_DELAY.toNanos())
                nextRestartDelay = FIRST_RESTART_DELAY;
            Duration delay = nextRestartDelay;
            nextRestartDelay = nextDelay(delay);
            restartPending = true;
            log.warn("Kafka Streams is down ({}); restarting it in {} ms", reason, delay.toMillis());
            executor.schedule(restart, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The backoff after {@code delay}: doubled, at most {@link #MAX_RESTART_DELAY}. */
    static Duration nextDelay(Duration delay) {
        Duration doubled = delay.multipliedBy(2);
        return doubled.compareTo(MAX_RESTART_DELAY) > 0 ? MAX_RESTART_DELAY : doubled;
    }

    /**
     * A scheduled restart begins (on the supervisor thread, under the runtime's lifecycle lock): false when stopping,
     * else counted and logged.
     */
    boolean restarting() {
        synchronized (restartLock) {
            restartPending = false;
        }
        if (!running) return false;
        int n = restarts.incrementAndGet();
        metrics.streamsRestarted();
        log.warn("restarting Kafka Streams (restart {}): {}", n, downReason);
        return true;
    }

    /** Why Kafka Streams is not running (its last failure), or null when it ran since. */
    String downReason() {
        return downReason;
    }

    /** How often Kafka Streams was restarted after failing, since this instance started. */
    int restarts() {
        return restarts.get();
    }

    /** An exception's message with its root cause's type and message, for logs and {@code /health}. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String text = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e
                ? text
                : text + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
