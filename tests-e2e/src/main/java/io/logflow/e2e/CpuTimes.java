package io.logflow.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * CPU time used by the server, the broker, the bench's own JVM and the whole machine, so a
 * throughput figure comes with where the cores went (on 2 cores, the topology shares them with the
 * broker). Machine time is from {@code /proc/stat} (all CPUs, busy jiffies), 0 where it is missing.
 */
record CpuTimes(Duration server, Duration broker, Duration bench, Duration machineBusy) {
    static CpuTimes now(long serverPid, long brokerPid) {
        return new CpuTimes(
                cpu(serverPid), cpu(brokerPid), cpu(ProcessHandle.current().pid()), machineBusyNow());
    }

    CpuTimes minus(CpuTimes start) {
        return new CpuTimes(
                server.minus(start.server),
                broker.minus(start.broker),
                bench.minus(start.bench),
                machineBusy.minus(start.machineBusy));
    }

    /** Prints and records CPU microseconds per log for each process, and the machine's busy share. */
    void report(long logs, double seconds, Map<String, Object> results, String prefix) {
        report(logs, "log", seconds, results, prefix);
    }

    /**
     * Prints and records CPU microseconds per item ({@code unit}: log, span) for each process, and
     * the machine's busy share.
     */
    void report(long items, String unit, double seconds, Map<String, Object> results, String prefix) {
        int cores = Runtime.getRuntime().availableProcessors();
        double server = per(this.server, items), broker = per(this.broker, items), bench = per(this.bench, items);
        double busy = machineBusy.toNanos() / 1e9 / (seconds * cores);
        results.put(prefix + "_cpu_us_per_" + unit, Map.of("server", server, "broker", broker, "bench", bench));
        results.put(prefix + "_machine_busy", Math.round(busy * 1000) / 1000.0);
        Bench.say(
                "    CPU per %s: server %.1f µs, broker %.1f µs, bench %.1f µs; the machine's %d cores %.0f%% busy",
                unit, server, broker, bench, cores, busy * 100);
    }

    private static double per(Duration d, long items) {
        return Math.round(d.toNanos() / 1e3 / items * 10) / 10.0;
    }

    /** CPU time of one process so far (zero when it is gone or unreadable). */
    static Duration process(long pid) {
        return cpu(pid);
    }

    private static Duration cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    /** Busy time of all CPUs: user + nice + system + irq + softirq + steal jiffies (10 ms each). */
    private static Duration machineBusyNow() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long jiffies = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) jiffies += Long.parseLong(f[i]);
            return Duration.ofMillis(jiffies * 10);
        } catch (IOException | RuntimeException e) {
            return Duration.ZERO;
        }
    }
}
