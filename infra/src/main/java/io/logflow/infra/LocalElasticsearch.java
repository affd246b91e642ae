package io.logflow.infra;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real single-node Elasticsearch ({@code 9.1.0}) run as a child JVM from the Maven Central jars, without Docker and
 * without the official distribution: module {@code infra/elasticsearch-local} resolves the server and records where its
 * jars are, and builds the few pieces of the distribution that Central lacks (entitlement agent, ansi console,
 * {@code rest-root} plugin for {@code GET /}, the {@code ServerArgs} that its launcher hands the server on standard
 * input). This class lays them out as an Elasticsearch home in the directory it is given ({@code lib/},
 * {@code modules/transport-netty4/}, {@code modules/rest-root/}, {@code config/}), keeps the node's data there
 * ({@code data/}, kept across restarts) and its logs ({@code logs/elasticsearch.log}, {@code logs/console.log}).
 *
 * <p>It needs a JDK 21 or later (see {@link ElasticsearchJava}: {@code LOGFLOW_ES_JAVA_HOME}, {@code ES_JAVA_HOME},
 * this JVM, {@code JAVA_HOME}, usual install places). Heap: {@code LOGFLOW_ES_HEAP} (512m) unless given; extra JVM
 * options: {@code LOGFLOW_ES_JAVA_OPTS}. Native access stays off (the distribution's native libraries are not on
 * Central): no {@code index.codec: best_compression}, no memory locking; it also lets the node run as root.
 *
 * <p>What the assembly lacks (modules not on Central): painless and scripts, {@code analysis-common} analyzers,
 * ingest pipelines, reindex and {@code _delete_by_query}, data streams, anything x-pack (ILM, security). Index
 * templates, aliases, mappings with core field types, search, aggregations and highlighting work.
 */
public final class LocalElasticsearch implements AutoCloseable {
    static final String ENV_HEAP = "LOGFLOW_ES_HEAP";
    static final String ENV_JAVA_OPTS = "LOGFLOW_ES_JAVA_OPTS";
    private static final String DEFAULT_HEAP = "512m";
    private static final String RESOURCES = "/io/logflow/infra/elasticsearch/";
    private static final String STAND_INS = RESOURCES + "elasticsearch-local.jars";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern HEALTH_STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(green|yellow|red)\"");
    private static final Pattern RECOVERING = Pattern.compile(
            "\"(initializing_shards|number_of_pending_tasks|number_of_in_flight_fetch)\"\\s*:\\s*[1-9]");
    private static final Duration STUCK_RED = Duration.ofSeconds(30);

    private final Process process;
    private final OutputStream stdin;
    private final Path dir;
    private final int httpPort;
    private final Path javaHome;
    private final boolean deleteOnClose;
    private final Thread shutdownHook;

    private LocalElasticsearch(Process process, Path dir, int httpPort, Path javaHome, boolean deleteOnClose) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.dir = dir;
        this.httpPort = httpPort;
        this.javaHome = javaHome;
        this.deleteOnClose = deleteOnClose;
        // Never leave a node behind when the JVM that started it exits (it also stops when its stdin closes).
        this.shutdownHook = new Thread(this::stopProcess, "local-elasticsearch-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a node in {@code dir} (its home: jars, config, data and logs; the data is kept across restarts) and waits
     * until the cluster is yellow or green.
     *
     * @param port HTTP port on 127.0.0.1, 0 for a free one
     */
    public static LocalElasticsearch start(Path dir, int port) {
        String heap = System.getenv(ENV_HEAP);
        return start(dir, port, heap == null || heap.isBlank() ? DEFAULT_HEAP : heap.trim(), false);
    }

    /** As {@link #start(Path, int)} with the heap size given ({@code -Xms} and {@code -Xmx}, e.g. {@code 1g}). */
    public static LocalElasticsearch start(Path dir, int port, String heap) {
        return start(dir, port, heap, false);
    }

    /** A node in a fresh temporary directory on a free port, deleted on {@link #close()}: for tests. */
    public static LocalElasticsearch startTemporary() {
        try {
            return start(Files.createTempDirectory("logflow-elasticsearch-"), 0, DEFAULT_HEAP, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LocalElasticsearch start(Path dir, int port, String heap, boolean deleteOnClose) {
        Path home = dir.toAbsolutePath();
        int httpPort = port == 0 ? ChildProcesses.freePort() : port;
        if (LocalPostgres.answers("127.0.0.1", httpPort, Duration.ofMillis(200))) {
            throw new IllegalStateException("port " + httpPort + " is already in use: another Elasticsearch running? "
                    + "Stop it or choose another port");
        }
        int transportPort;
        do {
            transportPort = ChildProcesses.freePort();
        } while (transportPort == httpPort);
        Path javaHome = ElasticsearchJava.find();
        try {
            Layout layout = assemble(home);
            writeConfig(home, httpPort, transportPort);
            byte[] serverArgs = serverArgs(javaHome, home, layout);
            ProcessBuilder builder = new ProcessBuilder(command(javaHome, home, layout, heap));
            builder.environment().put("LIBFFI_TMPDIR", home.resolve("tmp").toString());
            Process process = builder.redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            home.resolve("logs").resolve("console.log").toFile()))
                    .directory(home.toFile())
                    .start();
            LocalElasticsearch node = new LocalElasticsearch(process, home, httpPort, javaHome, deleteOnClose);
            try {
                // what the distribution's launcher does: the server reads its arguments from stdin, which stays open
                // (the server shuts down when it closes)
                node.stdin.write(serverArgs);
                node.stdin.flush();
                node.awaitReady();
            } catch (IOException | RuntimeException e) {
                node.close();
                throw e;
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the local Elasticsearch in " + home + ": " + e, e);
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The node's home: jars, {@code config/}, {@code data/}, {@code logs/}. */
    public Path dir() {
        return dir;
    }

    /** The JDK the node runs on. */
    public Path javaHome() {
        return javaHome;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the node cleanly (stdin closed, SIGTERM; killed after 30 s), then waits. */
    @Override
    public void close() {
        stopProcess();
        ChildProcesses.removeShutdownHook(shutdownHook);
        if (deleteOnClose) deleteRecursively(dir);
    }

    private void stopProcess() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed, or the node is gone
        }
        ChildProcesses.stop(process, STOP_TIMEOUT);
    }

    private void awaitReady() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        long stuckRedSince = 0;
        String lastHealth = "(no answer)";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Elasticsearch exited with code " + process.exitValue()
                        + " during start-up; its log:\n" + startupLog());
            }
            try {
                HttpResponse<String> response = get(http, "/_cluster/health?wait_for_status=yellow&timeout=2s");
                lastHealth = response.body();
                Matcher status = HEALTH_STATUS.matcher(lastHealth);
                // 408 when the wait for yellow timed out, with the health in the body all the same
                boolean answered = response.statusCode() == 200 || response.statusCode() == 408;
                String health = answered && status.find() ? status.group(1) : "unknown";
                if (health.equals("yellow") || health.equals("green")) return;
                // red with no shard being recovered: an index whose primary will never start (one left by a
                // version this assembly cannot read, say) would keep the node red for good
                if (health.equals("red") && !RECOVERING.matcher(lastHealth).find()) {
                    if (stuckRedSince == 0) stuckRedSince = System.nanoTime();
                    if (System.nanoTime() - stuckRedSince > STUCK_RED.toNanos()) {
                        throw new IllegalStateException("Elasticsearch in " + dir + " stays red: no primary of "
                                + "these indices starts: " + redIndices(http) + " (delete them, or the data "
                                + "directory); its log:\n" + startupLog());
                    }
                } else {
                    stuckRedSince = 0;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Elasticsearch", e);
            }
            sleep(250);
        }
        throw new IllegalStateException("Elasticsearch was not yellow or green within " + READY_TIMEOUT.toSeconds()
                + " s (health: " + lastHealth + "); its log:\n" + startupLog());
    }

    private HttpResponse<String> get(HttpClient http, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(5))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String redIndices(HttpClient http) {
        try {
            return get(http, "/_cat/indices?health=red&h=index").body().trim().replace('\n', ' ');
        } catch (IOException e) {
            return "(unknown: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(unknown)";
        }
    }

    private String startupLog() {
        return ChildProcesses.tail(dir.resolve("logs").resolve("console.log"), 30) + "\n"
                + ChildProcesses.tail(dir.resolve("logs").resolve("elasticsearch.log"), 30);
    }

    // ---------------------------------------------------------------------------------------------------- the home

    /** Where the assembled pieces are in the home. */
    record Layout(Path lib, Path agent, Path bridge, Path serverArgsWriter) {}

    /**
     * Lays out the jars as the distribution does, from the paths recorded at build time: {@code lib/} (the module
     * path), {@code lib/entitlement-agent/}, {@code lib/entitlement-bridge/}, {@code lib/tools/ansi-console/},
     * {@code modules/transport-netty4/} and {@code modules/rest-root/} with their descriptors beside them. Done again
     * only when the recorded jars change (a rebuild, another version); hard links where the file system allows, else
     * copies, so the node never runs from jars that a build may rewrite.
     */
    static Layout assemble(Path home) throws IOException {
        List<Path> lib = recorded(readResource(RESOURCES + "lib.classpath"));
        List<Path> netty = recorded(readResource(RESOURCES + "transport-netty4.classpath"));
        List<Path> bridge = recorded(readResource(RESOURCES + "entitlement-bridge.classpath"));
        List<Path> standIns = recorded(readResource(STAND_INS));
        Path agentJar = standIn(standIns, "-entitlement-agent.jar");
        Path ansiJar = standIn(standIns, "-ansi-console.jar");
        Path restRootJar = standIn(standIns, "-rest-root.jar");
        Path writerJar = standIns.stream()
                .filter(p -> !p.equals(agentJar) && !p.equals(ansiJar) && !p.equals(restRootJar))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "the ServerArgs writer jar is not recorded in " + STAND_INS + ": rebuild infra"));

        Path libDir = home.resolve("lib");
        Layout layout = new Layout(
                libDir,
                libDir.resolve("entitlement-agent").resolve(agentJar.getFileName()),
                libDir.resolve("entitlement-bridge").resolve(bridge.get(0).getFileName()),
                libDir.resolve("tools").resolve("server-args").resolve(writerJar.getFileName()));
        for (String d : List.of("config", "data", "logs", "tmp", "plugins")) {
            Files.createDirectories(home.resolve(d));
        }

        StringBuilder fingerprint = new StringBuilder();
        for (Path jar : concat(lib, netty, bridge, standIns)) {
            fingerprint
                    .append(jar)
                    .append(' ')
                    .append(Files.size(jar))
                    .append(' ')
                    .append(Files.getLastModifiedTime(jar).toMillis())
                    .append('\n');
        }
        Path marker = home.resolve("lib").resolve(".assembled-from");
        if (Files.isRegularFile(marker) && Files.readString(marker).contentEquals(fingerprint)) return layout;

        deleteRecursively(libDir);
        deleteRecursively(home.resolve("modules"));
        for (Path jar : lib) place(jar, libDir);
        place(agentJar, layout.agent().getParent());
        place(bridge.get(0), layout.bridge().getParent());
        place(ansiJar, libDir.resolve("tools").resolve("ansi-console"));
        place(writerJar, layout.serverArgsWriter().getParent());
        Path nettyDir = home.resolve("modules").resolve("transport-netty4");
        for (Path jar : netty) place(jar, nettyDir);
        unpackPluginFiles(netty.get(0), "transport-netty4", nettyDir);
        Path restRootDir = home.resolve("modules").resolve("rest-root");
        place(restRootJar, restRootDir);
        unpackPluginFiles(restRootJar, "rest-root", restRootDir);
        Files.writeString(marker, fingerprint);
        return layout;
    }

    /** The plugin's descriptor (and entitlement policy) that its jar carries under META-INF/es-plugins/name/. */
    private static void unpackPluginFiles(Path jar, String plugin, Path pluginDir) throws IOException {
        String prefix = "META-INF/es-plugins/" + plugin + "/";
        int unpacked = 0;
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            for (var entries = jarFile.entries(); entries.hasMoreElements(); ) {
                var entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(prefix)) continue;
                try (InputStream in = jarFile.getInputStream(entry)) {
                    Files.copy(
                            in,
                            pluginDir.resolve(name.substring(prefix.length())),
                            StandardCopyOption.REPLACE_EXISTING);
                    unpacked++;
                }
            }
        }
        if (unpacked == 0) throw new IllegalStateException(jar + " has no " + prefix + "plugin-descriptor.properties");
    }

    private static void place(Path jar, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(jar.getFileName());
        try {
            Files.createLink(target, jar);
        } catch (FileAlreadyExistsException e) {
            Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException | SecurityException otherFileSystem) {
            Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path standIn(List<Path> jars, String suffix) {
        return jars.stream()
                .filter(p -> p.getFileName().toString().endsWith(suffix))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no *" + suffix + " recorded in " + STAND_INS + ": rebuild infra with Maven"));
    }

    @SafeVarargs
    private static List<Path> concat(List<Path>... lists) {
        List<Path> all = new ArrayList<>();
        for (List<Path> list : lists) all.addAll(list);
        return all;
    }

    /** A list of jar paths recorded at build time; fails clearly if a jar has gone missing. */
    private static List<Path> recorded(String classpath) {
        List<Path> jars = new ArrayList<>();
        for (String entry : classpath.trim().split(File.pathSeparator)) {
            if (entry.isBlank()) continue;
            Path jar = Path.of(entry);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(
                        "Elasticsearch jar " + jar + " is missing: rebuild with ./mvnw install -pl infra -am");
            }
            jars.add(jar);
        }
        if (jars.isEmpty()) throw new IllegalStateException("an empty list of Elasticsearch jars: rebuild infra");
        return jars;
    }

    private static String readResource(String name) throws IOException {
        try (InputStream in = LocalElasticsearch.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath: build infra (and "
                        + "infra/elasticsearch-local) with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---------------------------------------------------------------------------------------------------- config

    private static void writeConfig(Path home, int httpPort, int transportPort) throws IOException {
        Path config = home.resolve("config");
        String yml = String.join(
                "\n",
                "# Written by LogFlow's LocalElasticsearch on every start.",
                "cluster.name: logflow-local",
                "node.name: logflow-local",
                "discovery.type: single-node",
                "network.host: 127.0.0.1",
                "http.port: " + httpPort,
                "transport.port: " + transportPort,
                "path.data: " + quoted(home.resolve("data")),
                "path.logs: " + quoted(home.resolve("logs")),
                "# a developer's disk may well be 90 % full: never turn indices read-only for that",
                "cluster.routing.allocation.disk.threshold_enabled: false",
                "# compressed answers broke large responses for Zipkin's client; on loopback they only cost CPU",
                "http.compression: false",
                "# no xpack.* keys: x-pack is not in this assembly, and unknown settings are errors",
                "");
        Files.writeString(config.resolve("elasticsearch.yml"), yml);
        Path logs = home.resolve("logs");
        String log4j = String.join(
                "\n",
                "status = error",
                "appender.file.type = RollingFile",
                "appender.file.name = file",
                "appender.file.fileName = " + logs.resolve("elasticsearch.log"),
                "appender.file.filePattern = " + logs.resolve("elasticsearch.log.%i"),
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n",
                "appender.file.policies.type = Policies",
                "appender.file.policies.size.type = SizeBasedTriggeringPolicy",
                "appender.file.policies.size.size = 50MB",
                "appender.file.strategy.type = DefaultRolloverStrategy",
                "appender.file.strategy.max = 3",
                "appender.console.type = Console",
                "appender.console.name = console",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n",
                "appender.console.filter.threshold.type = ThresholdFilter",
                "appender.console.filter.threshold.level = error",
                "rootLogger.level = info",
                "rootLogger.appenderRef.file.ref = file",
                "rootLogger.appenderRef.console.ref = console",
                "");
        Files.writeString(config.resolve("log4j2.properties"), log4j);
    }

    private static String quoted(Path path) {
        return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The serialized ServerArgs, written by a short JVM of the same JDK with Elasticsearch on its classpath. */
    private static byte[] serverArgs(Path javaHome, Path home, Layout layout) throws IOException {
        Path out = home.resolve("tmp").resolve("server-args.bin");
        Files.deleteIfExists(out);
        String classpath = layout.lib() + File.separator + "*" + File.pathSeparator + layout.serverArgsWriter();
        Process writer = new ProcessBuilder(
                        ElasticsearchJava.java(javaHome).toString(),
                        "-Xmx64m",
                        "-XX:TieredStopAtLevel=1",
                        "-Xshare:auto",
                        "-cp",
                        classpath,
                        "io.logflow.infra.elasticsearch.ServerArgsWriter",
                        home.toString(),
                        home.resolve("config").toString(),
                        home.resolve("logs").toString(),
                        out.toString())
                .redirectErrorStream(true)
                .start();
        writer.getOutputStream().close();
        String output = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!writer.waitFor(60, TimeUnit.SECONDS) || writer.exitValue() != 0 || !Files.isRegularFile(out)) {
                writer.destroyForcibly();
                throw new IllegalStateException("writing Elasticsearch's server arguments failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing Elasticsearch's server arguments", e);
        }
        return Files.readAllBytes(out);
    }

    private static List<String> command(Path javaHome, Path home, Layout layout, String heap) {
        Path tmp = home.resolve("tmp");
        List<String> command = new ArrayList<>(List.of(
                ElasticsearchJava.java(javaHome).toString(),
                "-Xms" + heap,
                "-Xmx" + heap,
                "-XX:+UseG1GC",
                "-Xss1m",
                "-Djava.io.tmpdir=" + tmp,
                "-XX:ErrorFile=" + home.resolve("logs").resolve("hs_err_pid%p.log"),
                "-XX:-OmitStackTraceInFastThrow",
                "-Dfile.encoding=UTF-8",
                "-Djava.awt.headless=true",
                "-Djava.locale.providers=CLDR",
                "-Dlog4j.shutdownHookEnabled=false",
                "-Dlog4j2.disable.jmx=true",
                "-Dlog4j2.formatMsgNoLookups=true",
                "-Dio.netty.noUnsafe=true",
                "-Dio.netty.noKeySetOptimization=true",
                "-Dio.netty.recycler.maxCapacityPerThread=0",
                "-Des.path.home=" + home,
                "-Des.path.conf=" + home.resolve("config"),
                "-Des.distribution.type=tar",
                // entitlements: the agent Elasticsearch attaches to itself, the bridge patched into java.base
                "-Des.entitlement.agentJar=" + layout.agent(),
                "-XX:+EnableDynamicAgentLoading",
                "-Djdk.attach.allowAttachSelf=true",
                "--patch-module=java.base=" + layout.bridge(),
                "--add-exports=java.base/org.elasticsearch.entitlement.bridge="
                        + "org.elasticsearch.entitlement,java.logging,java.net.http,java.naming,jdk.net",
                "--add-opens=org.apache.lucene.core/org.apache.lucene.codecs.lucene99=org.elasticsearch.server"));
        for (String codec : List.of("lucene90", "lucene91", "lucene92", "lucene94", "lucene95")) {
            command.add("--add-opens=org.apache.lucene.backward_codecs/org.apache.lucene.backward_codecs." + codec
                    + "=org.elasticsearch.server");
        }
        command.add("--enable-native-access=org.elasticsearch.nativeaccess,org.apache.lucene.core");
        command.addAll(ChildProcesses.jvmOptions(System.getenv(ENV_JAVA_OPTS)));
        command.addAll(List.of(
                "--module-path",
                layout.lib().toString(),
                "--add-modules=ALL-MODULE-PATH",
                "-m",
                "org.elasticsearch.server/org.elasticsearch.bootstrap.Elasticsearch"));
        return command;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Elasticsearch", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
