package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CliAndFiguresTest {
    @Test
    void cli_readsSpacedAndEqualsForms_withDefaultsForTheRest() {
        Cli cli = new Cli("demo", new String[] {"--rate", "1000", "--services=12", "--error-ratio", "0.2"});
        assertThat(cli.decimal("--rate", 200)).isEqualTo(1000);
        assertThat(cli.integer("--services", 8)).isEqualTo(12);
        assertThat(cli.decimal("--error-ratio", 0.05)).isEqualTo(0.2);
        assertThat(cli.integer("--duration", 60)).isEqualTo(60);
        cli.done();
    }

    @Test
    void cli_acceptsThousandsSeparators() {
        assertThat(new Cli("bench", new String[] {"--logs", "1_000_000"}).integer("--logs", 1))
                .isEqualTo(1_000_000);
        assertThat(new Cli("bench", new String[] {"--logs", "200,000"}).integer("--logs", 1))
                .isEqualTo(200_000);
    }

    @Test
    void cli_rejectsUnknownOptionsMissingValuesAndBadNumbers() {
        Cli unknown = new Cli("demo", new String[] {"--rtae", "5"});
        assertThatThrownBy(unknown::done).hasMessageContaining("unknown option --rtae");
        assertThatThrownBy(() -> new Cli("demo", new String[] {"--rate"})).hasMessageContaining("--rate needs a value");
        assertThatThrownBy(() -> new Cli("demo", new String[] {"fast"}))
                .hasMessageContaining("unexpected argument 'fast'");
        assertThatThrownBy(() -> new Cli("demo", new String[] {"--services", "many"}).integer("--services", 8))
                .hasMessageContaining("whole number");
    }

    @Test
    void percentile_isNearestRank() {
        double[] sorted = new double[100];
        for (int i = 0; i < 100; i++) sorted[i] = i + 1;
        assertThat(Bench.percentile(sorted, 50)).isEqualTo(50);
        assertThat(Bench.percentile(sorted, 99)).isEqualTo(99);
        assertThat(Bench.percentile(sorted, 100)).isEqualTo(100);
        assertThat(Bench.percentile(new double[] {7}, 99)).isEqualTo(7);
    }

    @Test
    void ingestAnswer_countsAcceptedAndRejected() {
        assertThat(LogSender.counts("{\"accepted\":8,\"rejected\":2,\"errors\":[{},{}]}", 10))
                .containsExactly(8, 2);
        assertThat(LogSender.counts("{\"accepted\":10,\"rejected\":0,\"errors\":[]}", 10))
                .containsExactly(10, 0);
    }

    @Test
    void overviewTotal_isReadFromTheTotalField() {
        assertThat(Api.totalOf(Api.JSON.readTree("{\"minutes\":15,\"total\":1234,\"errors\":5}")))
                .isEqualTo(1234);
        assertThatThrownBy(() -> Api.totalOf(Api.JSON.readTree("{\"minutes\":15}")))
                .hasMessageContaining("no log total");
    }

    @Test
    void agentOption_onByDefault_offWithNoAgent_bothRunsOnThenOff() {
        assertThat(Bench.agentPasses("on", false)).containsExactly(true);
        assertThat(Bench.agentPasses("on", true)).containsExactly(false);
        assertThat(Bench.agentPasses("off", false)).containsExactly(false);
        assertThat(Bench.agentPasses("both", false)).containsExactly(true, false);
        assertThatThrownBy(() -> Bench.agentPasses("both", true)).hasMessageContaining("contradicts");
        assertThatThrownBy(() -> Bench.agentPasses("maybe", false)).hasMessageContaining("on, off or both");
    }

    @Test
    void summaryLines_sayWhetherTheAgentWasOn_andHowManyInstances() {
        assertThat(Bench.tagged("bench traces: 10 spans", Bench.setup(true, 1)))
                .isEqualTo("bench traces: agent on, 1 instance | 10 spans");
        assertThat(Bench.tagged("bench: 5 logs", Bench.setup(false, 3)))
                .isEqualTo("bench: agent off, 3 instances | 5 logs");
    }

    @Test
    void agentOverhead_comparesEveryFigureMeasuredInBothPasses_within10Percent() {
        Map<String, Object> on = Map.of(
                "topology_warm_logs_per_s", 95_000.0,
                "overview_p99_ms", 12.0,
                "traces", Map.of("logflow", Map.of("lookups", Map.of("concurrency_8", Map.of("p99_ms", 3.3)))),
                "alert_latency_p50_ms", 100.0);
        Map<String, Object> off = Map.of(
                "topology_warm_logs_per_s", 100_000.0,
                "overview_p99_ms", 10.0,
                "traces", Map.of("logflow", Map.of("lookups", Map.of("concurrency_8", Map.of("p99_ms", 3.0)))));
        AgentOverhead a = AgentOverhead.compare(on, off, 8);
        // the alert figure is only in one pass: left out
        assertThat(a.rows())
                .extracting(r -> r.figure().label())
                .containsExactly("topology warm", "overview p99", "trace by id p99 c=8");
        assertThat(a.rows()).extracting(AgentOverhead.Row::met).containsExactly(true, false, true);
        assertThat(a.met()).isFalse();
        assertThat(a.lines().get(1))
                .isEqualTo("overview p99: agent on 12.00 ms, off 10.00 ms = 1.20 of agent off [within 10 %: MISSED]");
        assertThat(a.summary(1))
                .isEqualTo("bench agent: on vs off, 1 instance | agent on / agent off: topology warm 0.95, "
                        + "overview p99 1.20!, trace by id p99 c=8 1.10 | 2 of 3 figures within 10 % (! = not) "
                        + "[target within 10 %: MISSED]");
        assertThat(a.json()).containsEntry("met", false);
    }

    @Test
    void agentOverhead_withNothingToCompare_isNotMet() {
        AgentOverhead a = AgentOverhead.compare(Map.of(), Map.of(), 1);
        assertThat(a.rows()).isEmpty();
        assertThat(a.met()).isFalse();
        assertThat(AgentOverhead.figures(1))
                .extracting(AgentOverhead.Figure::label)
                .contains("trace by id p50 c=1")
                .doesNotContain("trace by id p50 c=8");
    }
}
