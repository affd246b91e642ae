package io.logflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StateApiProcessTest {
  @Test
  void serverRunsTheParallelCollector_unlessTheOptionsChooseOne() {
    assertThat(StateApiProcess.jvmOptions(List.of())).containsExactly("-XX:+UseParallelGC");
    assertThat(StateApiProcess.jvmOptions(List.of("-Xmx2g"))).containsExactly("-XX:+UseParallelGC", "-Xmx2g");
    assertThat(StateApiProcess.jvmOptions(List.of("-XX:+UseG1GC", "-Xmx2g"))).containsExactly("-XX:+UseG1GC", "-Xmx2g");
    assertThat(StateApiProcess.jvmOptions(List.of("-XX:+UseZGC"))).containsExactly("-XX:+UseZGC");
    // a flag that merely mentions GC is not a choice of collector
    assertThat(StateApiProcess.jvmOptions(List.of("-XX:+UseGCOverheadLimit"))).containsExactly("-XX:+UseParallelGC", "-XX:+UseGCOverheadLimit");
  }
}
