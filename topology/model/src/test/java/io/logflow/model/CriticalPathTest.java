package io.logflow.model;

import static io.logflow.model.SpanRecord.Kind.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.logflow.model.CriticalPath.Segment;
import io.logflow.model.TraceState.Stub;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CriticalPathTest {

    /** A stub named after its id, in service "svc-" + id, times in plain nanoseconds. */
    private static Stub stub(String id, String parent, long start, long end) {
        return new Stub(id, parent, "svc-" + id, "op-" + id, INTERNAL, start, end - start, false);
    }

    private static Segment seg(String id, long start, long end) {
        return new Segment(id, "svc-" + id, "op-" + id, start, end);
    }

    @Test
    void sequentialChildren_alternateWithTheParentsOwnTime() {
        List<Stub> stubs = List.of(stub("r", null, 0, 100), stub("a", "r", 10, 40), stub("b", "r", 50, 90));
        assertThat(CriticalPath.compute(stubs))
                .containsExactly(
                        seg("r", 0, 10), seg("a", 10, 40), seg("r", 40, 50), seg("b", 50, 90), seg("r", 90, 100));
    }

    @Test
    void nestedChain_isFollowedDownAndBackUp() {
        List<Stub> stubs = List.of(stub("c", "b", 20, 80), stub("r", null, 0, 100), stub("b", "r", 10, 90));
        assertThat(CriticalPath.compute(stubs))
                .containsExactly(
                        seg("r", 0, 10), seg("b", 10, 20), seg("c", 20, 80), seg("b", 80, 90), seg("r", 90, 100));
    }

    @Test
    void parallelChildren_theOneEndingLastWins_theOthersAreHiddenBehindIt() {
        List<Stub> stubs = List.of(
                stub("r", null, 0, 100), stub("a", "r", 10, 60), stub("b", "r", 10, 90), stub("c", "r", 20, 50));
        assertThat(CriticalPath.compute(stubs)).containsExactly(seg("r", 0, 10), seg("b", 10, 90), seg("r", 90, 100));
    }

    @Test
    void overlappingChildren_anEarlierOneCountsOnlyIfItEndedBeforeTheLaterOneStarted() {
        List<Stub> stubs =
                List.of(stub("r", null, 0, 100), stub("a", "r", 0, 30), stub("b", "r", 20, 60), stub("c", "r", 50, 90));
        // c ends last; b ends after c started so it is not waited for; a ended before c started
        assertThat(CriticalPath.compute(stubs))
                .containsExactly(seg("a", 0, 30), seg("r", 30, 50), seg("c", 50, 90), seg("r", 90, 100));
    }

    @Test
    void aChildOverrunningItsParent_isClippedToTheParentsEnd() {
        List<Stub> stubs = List.of(
                stub("r", null, 0, 100),
                stub("a", "r", 50, 130),
                stub("a1", "a", 60, 120), // clipped to [60, 100]
                stub("a2", "a", 110, 130), // wholly after r's end: ignored
                stub("early", "r", -20, 10)); // started before its parent: clipped to [0, 10]
        assertThat(CriticalPath.compute(stubs))
                .containsExactly(seg("early", 0, 10), seg("r", 10, 50), seg("a", 50, 60), seg("a1", 60, 100));
    }

    @Test
    void missingRoot_startsFromTheEarliestSpanWhoseParentIsMissing() {
        List<Stub> stubs = List.of(
                stub("e", "gone", 30, 35),
                stub("b", "gone", 10, 50),
                stub("d", "b", 5, 40), // skewed: starts before its parent, and before every other span
                stub("tie", "gone", 10, 45)); // same start as b, shorter
        assertThat(CriticalPath.compute(stubs)).containsExactly(seg("d", 10, 40), seg("b", 40, 50));
    }

    @Test
    void aParentlessSpan_isTheRootEvenIfAnOrphanStartedEarlier() {
        List<Stub> stubs = List.of(stub("orphan", "gone", 0, 50), stub("r", null, 10, 20));
        assertThat(CriticalPath.compute(stubs)).containsExactly(seg("r", 10, 20));
    }

    @Test
    void singleSpan_isOneSegment_andNoSpansOrZeroLength_nothing() {
        assertThat(CriticalPath.compute(List.of(stub("r", null, 5, 9)))).containsExactly(seg("r", 5, 9));
        assertThat(CriticalPath.compute(List.of(stub("r", null, 5, 5)))).isEmpty();
        assertThat(CriticalPath.compute(List.of())).isEmpty();
    }

    @Test
    void cyclesOfParents_terminate() {
        List<Stub> stubs = List.of(stub("a", "b", 0, 10), stub("b", "a", 0, 10), stub("s", "s", 2, 4));
        List<Segment> path = CriticalPath.compute(stubs);
        assertThat(path).isNotEmpty();
        assertThat(path.get(0).startNanos()).isEqualTo(0);
        assertThat(path.get(path.size() - 1).endNanos()).isEqualTo(10);
    }

    @Test
    void randomTrees_areTiledExactly_inOrder_byTimeOfTheSpansThemselves() {
        Random r = new Random(11);
        for (int trial = 0; trial < 500; trial++) {
            List<Stub> stubs = new ArrayList<>();
            int n = 1 + r.nextInt(40);
            for (int i = 0; i < n; i++) {
                String parent = i == 0 ? null : "s" + r.nextInt(i);
                long start = r.nextInt(1000);
                stubs.add(stub("s" + i, parent, start, start + r.nextInt(500)));
            }
            Collections.shuffle(stubs, r);
            Map<String, Stub> byId = new HashMap<>();
            stubs.forEach(s -> byId.put(s.spanId(), s));
            Stub root = byId.get("s0");
            List<Segment> path = CriticalPath.compute(stubs);

            long cursor = root.startNanos();
            for (Segment s : path) {
                assertThat(s.startNanos())
                        .as("trial %d: segments tile without gaps or overlaps", trial)
                        .isEqualTo(cursor);
                assertThat(s.endNanos()).isGreaterThan(s.startNanos());
                Stub own = byId.get(s.spanId());
                assertThat(s.startNanos()).isGreaterThanOrEqualTo(own.startNanos());
                assertThat(s.endNanos()).isLessThanOrEqualTo(own.endNanos());
                cursor = s.endNanos();
            }
            assertThat(cursor).as("trial %d: ends at the root's end", trial).isEqualTo(root.endNanos());
            List<Stub> reversed = new ArrayList<>(stubs);
            Collections.reverse(reversed);
            assertThat(CriticalPath.compute(reversed))
                    .as("independent of order")
                    .isEqualTo(path);
        }
    }
}
