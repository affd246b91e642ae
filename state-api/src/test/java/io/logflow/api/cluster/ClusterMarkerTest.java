package io.logflow.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterMarkerTest {
    @TempDir
    Path dir;

    @Test
    void noMarker_readsAsNoCluster() throws Exception {
        ClusterMarker marker = new ClusterMarker(dir.resolve("logflow"));
        assertThat(marker.read()).isEmpty();
        Files.createDirectories(marker.file().getParent());
        Files.writeString(marker.file(), "\n");
        assertThat(marker.read()).as("blank").isEmpty();
    }

    @Test
    void writtenId_isReadBack_andReplaced() throws Exception {
        ClusterMarker marker = new ClusterMarker(dir.resolve("logflow")); // created on write
        marker.write("cluster-1");
        assertThat(marker.file()).hasContent("cluster-1");
        assertThat(marker.read()).contains("cluster-1");

        marker.write("cluster-2");
        assertThat(marker.read()).contains("cluster-2");
        try (var files = Files.list(dir.resolve("logflow"))) {
            assertThat(files).containsExactly(marker.file()); // no temporary file left behind
        }
    }
}
