package io.logflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElasticsearchJavaTest {
    @TempDir
    Path dir;

    @Test
    void logflowVariableFirst_thenEsJavaHome() throws IOException {
        Path jdk25 = jdk("jdk-25", "25.0.3");
        Path jdk21 = jdk("jdk-21", "21.0.8");
        Path current17 = jdk("jdk-17", "17.0.15");

        assertThat(ElasticsearchJava.find(
                        Map.of("LOGFLOW_ES_JAVA_HOME", jdk21.toString(), "ES_JAVA_HOME", jdk25.toString()),
                        current17,
                        17,
                        List.of()))
                .isEqualTo(jdk21);
        assertThat(ElasticsearchJava.find(Map.of("ES_JAVA_HOME", jdk25.toString()), current17, 17, List.of()))
                .isEqualTo(jdk25);
    }

    @Test
    void aVariableNamingAnOldOrMissingJdk_isAnError_notSkipped() throws IOException {
        Path jdk17 = jdk("jdk-17", "17.0.15");
        Path jdk25 = jdk("jdk-25", "25.0.3");

        assertThatThrownBy(() ->
                        ElasticsearchJava.find(Map.of("LOGFLOW_ES_JAVA_HOME", jdk17.toString()), jdk25, 25, List.of()))
                .hasMessageContaining("LOGFLOW_ES_JAVA_HOME")
                .hasMessageContaining("Java 17")
                .hasMessageContaining("21 or later");
        assertThatThrownBy(() -> ElasticsearchJava.find(
                        Map.of("ES_JAVA_HOME", dir.resolve("nothing").toString()), jdk25, 25, List.of()))
                .hasMessageContaining("ES_JAVA_HOME")
                .hasMessageContaining("not a JDK");
    }

    @Test
    void theRunningJvm_whenRecentEnough_beforeJavaHome() throws IOException {
        Path running = jdk("running", "21.0.2");
        Path javaHome = jdk("java-home", "25");

        assertThat(ElasticsearchJava.find(Map.of("JAVA_HOME", javaHome.toString()), running, 21, List.of()))
                .isEqualTo(running);
    }

    @Test
    void onJava17_javaHomeIfRecentEnough_elseTheNewestInstalledJdk() throws IOException {
        Path running = jdk("running", "17.0.15");
        Path javaHome = jdk("java-home", "17.0.2");
        Path root = dir.resolve("jvm");
        jdk("jvm/java-17-openjdk-amd64", "17.0.15");
        jdk("jvm/temurin-21-jdk-amd64", "21.0.8");
        Path newest = jdk("jvm/temurin-25-jdk-amd64", "25.0.3");
        Files.createDirectories(root.resolve("not-a-jdk"));

        assertThat(ElasticsearchJava.find(Map.of("JAVA_HOME", javaHome.toString()), running, 17, List.of(root)))
                .isEqualTo(newest);
        Path recentJavaHome = jdk("java-home-21", "21.0.1");
        assertThat(ElasticsearchJava.find(Map.of("JAVA_HOME", recentJavaHome.toString()), running, 17, List.of(root)))
                .isEqualTo(recentJavaHome);
    }

    @Test
    void noneFound_namesTheVariablesToSet() throws IOException {
        Path running = jdk("running", "17.0.15");

        assertThatThrownBy(() -> ElasticsearchJava.find(Map.of(), running, 17, List.of(dir.resolve("empty"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LOGFLOW_ES_JAVA_HOME")
                .hasMessageContaining("ES_JAVA_HOME")
                .hasMessageContaining("JAVA_HOME");
    }

    @Test
    void readsTheFeatureVersionFromTheReleaseFile() throws IOException {
        assertThat(ElasticsearchJava.featureVersion(jdk("a", "25.0.3"))).contains(25);
        assertThat(ElasticsearchJava.featureVersion(jdk("b", "21"))).contains(21);
        assertThat(ElasticsearchJava.featureVersion(jdk("c", "1.8.0_442"))).contains(8);
        assertThat(ElasticsearchJava.featureVersion(dir.resolve("missing"))).isEmpty();
    }

    /** A directory that looks like a JDK: bin/java and a release file. */
    private Path jdk(String name, String version) throws IOException {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin").resolve("java"), "");
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }
}
