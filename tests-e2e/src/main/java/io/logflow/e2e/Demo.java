package io.logflow.e2e;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code ./logflow demo}: sends generated request-flow traffic ({@link TrafficGenerator}) to a
 * running LogFlow through {@code POST /api/v1/logs}, in batches, at a steady rate, with a progress
 * line.
 */
public final class Demo {
  static final int MAX_BATCH = 500;
  static final int MAX_IN_FLIGHT = 4;

  /** @param duration how long to send; zero means until stopped */
  record Options(URI url, int services, double rate, Duration duration, double errorRatio, long seed) {
    Options {
      if (!(rate > 0)) throw new IllegalArgumentException("--rate must be > 0, got " + rate);
      if (duration.isNegative()) throw new IllegalArgumentException("--duration must be >= 0");
    }
  }

  /** What one run did. */
  record Result(long sent, long accepted, long rejected, long failed, long requests, long failedRequests, double seconds, String lastProblem) {
    double rate() {
      return seconds > 0 ? sent / seconds : 0;
    }
  }

  private Demo() {}

  public static void main(String[] args) throws Exception {
    // quiet Kafka client logs unless asked otherwise (slf4j-simple reads this on first use)
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Cli cli = new Cli("./logflow demo", args);
    String port = System.getenv().getOrDefault("LOGFLOW_PORT", "8080");
    Options o;
    try {
      o = new Options(
          URI.create(stripSlash(cli.string("--url", "http://127.0.0.1:" + port))),
          cli.integer("--services", 8),
          cli.decimal("--rate", 200),
          Duration.ofMillis((long) (cli.decimal("--duration", 60) * 1000)),
          cli.decimal("--error-ratio", 0.05),
          cli.integer("--seed", (int) System.nanoTime()));
      cli.done();
      new TrafficGenerator(o.services(), o.errorRatio(), 0); // validates both
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage());
      System.err.println("usage: ./logflow demo [--url URL] [--services 3..20] [--rate LOGS_PER_S] [--duration SECONDS, 0 = until Ctrl-C] [--error-ratio 0..1]");
      System.exit(2);
      return;
    }
    String health = checkUp(o.url());
    if (health != null) {
      System.err.println("demo: LogFlow is not answering at " + o.url() + " (" + health + "). Start it with ./logflow up, or pass --url.");
      System.exit(1);
      return;
    }

    AtomicBoolean stop = new AtomicBoolean();
    Thread main = Thread.currentThread();
    AtomicBoolean finished = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.set(true);
      try {
        if (!finished.get()) main.join(10_000);
      } catch (InterruptedException ignored) {
        // exiting anyway
      }
    }));
    String[] exampleTrace = new String[1];
    System.out.printf(Locale.ROOT, "[demo] sending to %s: %d services, %.0f logs/s, %s, error ratio %.2f%n",
        o.url(), o.services(), o.rate(), o.duration().isZero() ? "until Ctrl-C" : o.duration().toSeconds() + " s", o.errorRatio());
    Result r = run(o, req -> {
      if (req.services().size() >= 4 || exampleTrace[0] == null) exampleTrace[0] = req.traceId();
    }, stop, System.out);
    System.out.printf(Locale.ROOT, "[demo] done: %d logs in %.1f s (%.0f/s), %d simulated requests (%d of them failing): accepted %d, rejected %d, failed to send %d%n",
        r.sent(), r.seconds(), r.rate(), r.requests(), r.failedRequests(), r.accepted(), r.rejected(), r.failed());
    if (r.lastProblem() != null) System.out.println("[demo] last problem: " + r.lastProblem());
    if (exampleTrace[0] != null) {
      System.out.println("[demo] look:  curl " + o.url() + "/api/v1/metrics/overview?minutes=15");
      System.out.println("              curl " + o.url() + "/api/v1/logs/trace/" + exampleTrace[0]);
    }
    finished.set(true);
    if (!stop.get()) System.exit(r.failed() > 0 || r.accepted() == 0 ? 1 : 0);
  }

  /**
   * Sends traffic until the duration passes or {@code stop} is set.
   *
   * @param onRequest sees every generated request (before it is sent)
   * @param progress where the progress line goes (updated in place on a terminal), or null
   */
  static Result run(Options o, Consumer<TrafficGenerator.Request> onRequest, AtomicBoolean stop, PrintStream progress) {
    TrafficGenerator gen = new TrafficGenerator(o.services(), o.errorRatio(), o.seed());
    LogSender sender = new LogSender(o.url());
    ExecutorService pool = Executors.newFixedThreadPool(MAX_IN_FLIGHT, r -> {
      Thread t = new Thread(r, "demo-sender");
      t.setDaemon(true);
      return t;
    });
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    AtomicLong requests = new AtomicLong();
    AtomicLong failedRequests = new AtomicLong();
    long start = System.nanoTime();
    long end = o.duration().isZero() ? Long.MAX_VALUE : start + o.duration().toNanos();
    Progress line = progress == null ? null : new Progress(progress, sender, requests, start);
    long generated = 0;
    long nextPrint = start;
    try {
      List<byte[]> batch = new ArrayList<>();
      while (!stop.get()) {
        long now = System.nanoTime();
        if (now >= end) break;
        long due = (long) (o.rate() * (now - start) / 1e9);
        while (generated < due) {
          // started a moment ago: by the time a shipper sends them, a request's logs are in the past
          TrafficGenerator.Request req = gen.next(System.currentTimeMillis() - 2_000);
          onRequest.accept(req);
          requests.incrementAndGet();
          if (req.failed()) failedRequests.incrementAndGet();
          for (TrafficGenerator.Log l : req.logs()) batch.add(l.json());
          generated += req.logs().size();
          if (batch.size() >= MAX_BATCH) batch = submit(batch, pool, inFlight, sender);
        }
        if (!batch.isEmpty()) batch = submit(batch, pool, inFlight, sender);
        if (line != null && now >= nextPrint) {
          line.print(false);
          nextPrint = now + 500_000_000L;
        }
        sleepMillis(o.rate() >= 2000 ? 20 : 100);
      }
      inFlight.acquire(MAX_IN_FLIGHT); // every batch answered
      inFlight.release(MAX_IN_FLIGHT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.shutdownNow();
    }
    if (line != null) line.print(true);
    return new Result(sender.sent.get(), sender.accepted.get(), sender.rejected.get(), sender.failed.get(),
        requests.get(), failedRequests.get(), (System.nanoTime() - start) / 1e9, sender.lastProblem);
  }

  private static List<byte[]> submit(List<byte[]> batch, ExecutorService pool, Semaphore inFlight, LogSender sender) throws InterruptedException {
    inFlight.acquire(); // back-pressure: at most MAX_IN_FLIGHT batches waiting for an answer
    pool.execute(() -> {
      try {
        sender.send(batch);
      } finally {
        inFlight.release();
      }
    });
    return new ArrayList<>();
  }

  /** The progress line: updated in place on a terminal, one line every 5 s otherwise. */
  private static final class Progress {
    private final PrintStream out;
    private final LogSender s;
    private final AtomicLong requests;
    private final long start;
    // set by ./logflow, which runs the JVM without a terminal on stdin (System.console() is null then)
    private final boolean terminal = "inplace".equals(System.getProperty("logflow.progress")) || System.console() != null;
    private long lastLine;
    private long lastSent;
    private long lastTime;

    Progress(PrintStream out, LogSender s, AtomicLong requests, long start) {
      this.out = out;
      this.s = s;
      this.requests = requests;
      this.start = start;
      this.lastTime = start;
    }

    void print(boolean last) {
      long now = System.nanoTime();
      if (!terminal && !last && now - lastLine < 5_000_000_000L) return;
      long sent = s.sent.get();
      double rate = now > lastTime ? (sent - lastSent) / ((now - lastTime) / 1e9) : 0;
      lastSent = sent;
      lastTime = now;
      lastLine = now;
      String text = String.format(Locale.ROOT, "[demo] %5.1fs  sent %,d  (%,.0f/s)  accepted %,d  rejected %,d  failed %,d  requests %,d",
          (now - start) / 1e9, sent, rate, s.accepted.get(), s.rejected.get(), s.failed.get(), requests.get());
      if (terminal) out.print("\r" + text + "\033[K" + (last ? "\n" : ""));
      else out.println(text);
      out.flush();
    }
  }

  /** null when GET /health answers at all (even 503: the server is there, Streams may be starting), else why not. */
  static String checkUp(URI url) {
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
      http.send(HttpRequest.newBuilder(url.resolve("/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
      return null;
    } catch (Exception e) {
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static void sleepMillis(long ms) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(ms);
  }
}
