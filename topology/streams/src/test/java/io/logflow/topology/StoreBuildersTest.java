package io.logflow.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logflow.model.schema.StoreSpec;
import io.logflow.model.schema.Stores;
import java.time.Duration;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;

class StoreBuildersTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void everyStore_buildsFromItsSpec_underItsName() {
        for (StoreSpec<?, ?> spec : Stores.ALL) {
            assertThat(builder(spec).name()).as(spec.name()).isEqualTo(spec.name());
        }
        assertThat(StoreBuilders.global(Stores.ALERT_RULES).loggingEnabled()).isFalse();
        assertThat(StoreBuilders.keyValue(Stores.ALERT_LOG_STATUS).loggingEnabled())
                .isTrue();
    }

    @Test
    void aSpecOfAnotherKind_isRefused() {
        assertThatThrownBy(() -> StoreBuilders.keyValue(Stores.SERVICE_STATS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("store service-stats-1m is a WINDOW store, not KEY_VALUE");
        assertThatThrownBy(() -> StoreBuilders.window(Stores.TRACE_SPANS, HOUR, MINUTE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoreBuilders.windowWithDuplicates(Stores.TRACE_STATES, HOUR, MINUTE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoreBuilders.global(Stores.SERVICES)).isInstanceOf(IllegalArgumentException.class);
    }

    @SuppressWarnings("unchecked")
    private static StoreBuilder<?> builder(StoreSpec<?, ?> any) {
        StoreSpec<String, Object> spec = (StoreSpec<String, Object>) any;
        return switch (spec.kind()) {
            case KEY_VALUE -> StoreBuilders.keyValue(spec);
            case WINDOW -> StoreBuilders.window(spec, HOUR, MINUTE);
            case WINDOW_WITH_DUPLICATES -> StoreBuilders.windowWithDuplicates(spec, HOUR, MINUTE);
            case GLOBAL_KEY_VALUE -> StoreBuilders.global(spec);
        };
    }
}
