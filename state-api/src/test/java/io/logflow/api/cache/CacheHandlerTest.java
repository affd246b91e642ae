package io.logflow.api.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.api.config.LogFlowMetrics.CacheCounts;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheHandlerTest {
    @Test
    void stats_haveTheHitRatioOfThisInstance_andRedisFiguresOnlyWhenItAnswered() {
        Map<String, Object> up = CacheHandler.stats(
                "up", new CacheCounts(3, 1, 0), Map.of("keys", 7L, "keysCapped", false, "usedMemory", 1024L));
        assertThat(up)
                .containsEntry("redis", "up")
                .containsEntry("hits", 3L)
                .containsEntry("misses", 1L)
                .containsEntry("hitRatio", 0.75)
                .containsEntry("keys", 7L)
                .containsEntry("usedMemory", 1024L);
        Map<String, Object> down = CacheHandler.stats("down", new CacheCounts(0, 0, 5), Map.of());
        assertThat(down)
                .containsEntry("redis", "down")
                .containsEntry("hitRatio", 0.0)
                .containsEntry("errors", 5L)
                .containsEntry("keys", null)
                .containsEntry("usedMemory", null);
    }

    @Test
    void infoFields_areReadFromInfoMemory_numbersAsNumbers() {
        String info = "# Memory\r\nused_memory:1056112\r\nused_memory_human:1.01M\r\nused_memory_rss:0\r\n";
        assertThat(RedisCache.infoField(info, "used_memory")).isEqualTo(1056112L);
        assertThat(RedisCache.infoField(info, "used_memory_human")).isEqualTo("1.01M");
        assertThat(RedisCache.infoField(info, "maxmemory")).isNull();
    }
}
