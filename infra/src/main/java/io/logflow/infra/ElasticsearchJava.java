package io.logflow.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the JDK that runs {@link LocalElasticsearch}: Elasticsearch 9 needs Java 21 or later, while LogFlow itself
 * builds and runs on 17. In this order: {@code LOGFLOW_ES_JAVA_HOME}, {@code ES_JAVA_HOME} (either, when set, must be
 * a JDK 21+: a wrong one is an error, not skipped), the JVM running this code if it is 21+, {@code JAVA_HOME} if 21+,
 * then the newest 21+ JDK in the usual install places ({@code /usr/lib/jvm}, {@code /usr/java}, {@code /opt},
 * {@code /opt/java}, {@code ~/.sdkman/candidates/java}, {@code ~/.jdks}, {@code /Library/Java/JavaVirtualMachines}).
 * A JDK's version is read from its {@code release} file, so nothing is started to find one.
 */
final class ElasticsearchJava {
    static final int MINIMUM = 21;
    static final String ENV_LOGFLOW = "LOGFLOW_ES_JAVA_HOME";
    static final String ENV_ES = "ES_JAVA_HOME";

    private static final Pattern JAVA_VERSION = Pattern.compile("(\\d+)(?:[.\\-+_].*)?");

    private ElasticsearchJava() {}

    /** The java home to run Elasticsearch with, on this machine. */
    static Path find() {
        Path home = Path.of(System.getProperty("user.home"));
        return find(
                System.getenv(),
                Path.of(System.getProperty("java.home")),
                Runtime.version().feature(),
                searchRoots(home));
    }

    static Path find(Map<String, String> env, Path currentJavaHome, int currentVersion, List<Path> searchRoots) {
        for (String variable : List.of(ENV_LOGFLOW, ENV_ES)) {
            String value = env.get(variable);
            if (value == null || value.isBlank()) continue;
            Path javaHome = Path.of(value.trim());
            int version = featureVersion(javaHome)
                    .orElseThrow(() -> new IllegalStateException(
                            variable + "=" + value + " is not a JDK (no bin/java and release file there)"));
            if (version < MINIMUM) {
                throw new IllegalStateException(variable + "=" + value + " is Java " + version
                        + "; Elasticsearch needs Java " + MINIMUM + " or later");
            }
            return javaHome;
        }
        if (currentVersion >= MINIMUM) {
            return currentJavaHome;
        }
        String javaHome = env.get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            Path path = Path.of(javaHome.trim());
            if (featureVersion(path).orElse(0) >= MINIMUM) return path;
        }
        return installed(searchRoots)
                .orElseThrow(() -> new IllegalStateException("Elasticsearch needs a JDK " + MINIMUM
                        + " or later and none was found: set " + ENV_LOGFLOW + " (or " + ENV_ES
                        + ") to one, or run with JAVA_HOME pointing at one. Looked at the running JVM ("
                        + currentJavaHome + "), JAVA_HOME (" + javaHome + ") and in " + searchRoots));
    }

    /** The newest JDK 21+ directly inside one of the roots. */
    static Optional<Path> installed(List<Path> searchRoots) {
        List<Path> candidates = new ArrayList<>();
        for (Path root : searchRoots) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> children = Files.list(root)) {
                children.forEach(child -> {
                    candidates.add(child);
                    candidates.add(child.resolve("Contents").resolve("Home")); // macOS bundles
                });
            } catch (IOException unreadable) {
                // skip a directory we may not list
            }
        }
        return candidates.stream()
                .filter(p -> featureVersion(p).orElse(0) >= MINIMUM)
                .max(Comparator.comparingInt((Path p) -> featureVersion(p).orElse(0))
                        .thenComparing(Path::toString));
    }

    /** The feature version (21, 25 …) of the JDK at {@code javaHome}, when it has bin/java and a release file. */
    static Optional<Integer> featureVersion(Path javaHome) {
        Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release) || !Files.exists(java(javaHome))) return Optional.empty();
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(release)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String version = properties.getProperty("JAVA_VERSION");
        if (version == null) return Optional.empty();
        Matcher m = JAVA_VERSION.matcher(version.replace("\"", "").trim());
        if (!m.matches()) return Optional.empty();
        int major = Integer.parseInt(m.group(1));
        if (major == 1) return Optional.of(8); // "1.8.0_…": far too old either way
        return Optional.of(major);
    }

    static Path java(Path javaHome) {
        return javaHome.resolve("bin").resolve("java");
    }

    private static List<Path> searchRoots(Path userHome) {
        return List.of(
                Path.of("/usr/lib/jvm"),
                Path.of("/usr/java"),
                Path.of("/opt"),
                Path.of("/opt/java"),
                userHome.resolve(".sdkman").resolve("candidates").resolve("java"),
                userHome.resolve(".jdks"),
                Path.of("/Library/Java/JavaVirtualMachines"));
    }
}
