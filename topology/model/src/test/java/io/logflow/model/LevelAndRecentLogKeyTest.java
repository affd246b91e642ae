package io.logflow.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LevelAndRecentLogKeyTest {

    @Test
    void onlyErrorAndFatal_areErrors() {
        assertThat(Level.values()).filteredOn(Level::isError).containsExactly(Level.ERROR, Level.FATAL);
    }

    @Test
    void unknownLevelText_parsesToNull() {
        assertThat(Level.parse("verbose")).isNull();
        assertThat(Level.parse("42")).isNull();
        assertThat(Level.parse(null)).isNull();
    }

    @Test
    void recentLogKey_roundTrips_evenWhenTheServiceContainsTheSeparator() {
        RecentLogKey key = new RecentLogKey("a|b", Level.WARN, 17);
        assertThat(key.encode())
                .isEqualTo("a|b|WARN|17")
                .startsWith(RecentLogKey.servicePrefix("a|b"))
                .startsWith(RecentLogKey.levelPrefix("a|b", Level.WARN));
        assertThat(RecentLogKey.parse(key.encode())).isEqualTo(key);
        assertThat(RecentLogKey.cursorKey("a|b", Level.WARN)).isEqualTo("a|b|WARN");
    }
}
