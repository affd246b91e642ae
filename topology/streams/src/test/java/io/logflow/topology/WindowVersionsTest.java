package io.logflow.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WindowVersionsTest {
    static final long MINUTE = 60_000;
    final long now = System.currentTimeMillis() / MINUTE * MINUTE;

    @Test
    void aWindowsStampChangesWithEachWrite_andNeverRepeats() {
        WindowVersions versions = new WindowVersions();
        WindowVersions.Partition p = versions.reset(3);
        WindowVersions.Stamp unwritten = versions.stamp(3, now);
        p.changed(now);
        WindowVersions.Stamp one = versions.stamp(3, now);
        p.changed(now - MINUTE);
        assertThat(versions.stamp(3, now)).isEqualTo(one);
        p.changed(now);
        assertThat(versions.stamp(3, now)).isNotIn(unwritten, one);
    }

    @Test
    void aResetPartition_matchesNoEarlierStamp_evenAtTheSameCount() {
        WindowVersions versions = new WindowVersions();
        versions.reset(0).changed(now);
        WindowVersions.Stamp before = versions.stamp(0, now);
        versions.reset(0).changed(now);
        assertThat(versions.stamp(0, now)).isNotEqualTo(before);
        assertThat(versions.stamp(0, now).version()).isEqualTo(before.version());
    }

    @Test
    void partitionsWithoutATaskHere_haveNoValidStamp() {
        assertThat(new WindowVersions().stamp(0, now).valid()).isFalse();
    }

    @Test
    void forgottenWindows_neverReadAsUnwritten() {
        WindowVersions versions = new WindowVersions();
        WindowVersions.Partition p = versions.reset(0);
        long old = now - WindowVersions.KEEP_MS - 10 * MINUTE;
        WindowVersions.Stamp oldUnwritten = versions.stamp(0, old);
        p.changed(old);
        // enough recent windows to make it forget the old ones
        for (long w = now - WindowVersions.KEEP_MS + MINUTE; w <= now + WindowVersions.KEEP_MS; w += MINUTE)
            p.changed(w);
        assertThat(versions.stamp(0, old)).isNotEqualTo(oldUnwritten);
        assertThat(versions.stamp(0, old).valid()).isFalse();
        assertThat(versions.stamp(0, now).valid()).isTrue();
    }

    @Test
    void windowsFarInTheFuture_stopTrackingThePartition_notTheOthers() {
        WindowVersions versions = new WindowVersions();
        WindowVersions.Partition p = versions.reset(0);
        versions.reset(1).changed(now);
        long future = now + 1000L * 24 * 60 * MINUTE;
        for (int i = 0; i < 5 * WindowVersions.KEEP_MS / MINUTE; i++) p.changed(future + i * MINUTE);
        assertThat(versions.stamp(0, now).valid()).isFalse();
        assertThat(versions.stamp(1, now).valid()).isTrue();
    }
}
