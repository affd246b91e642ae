package io.logflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
