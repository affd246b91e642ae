package io.logflow.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The critical path of a trace: the chain of work that determined its end-to-end duration, what
 * would have to get faster for the request to get faster (the method Jaeger's UI uses).
 *
 * <p>From the root span's end, walk backwards: the child that ended last (at or before the cursor)
 * is what the span was waiting for, so the time after that child's end is the span's own; continue
 * inside the child, then, from the child's start, with the children that ended before it; the time
 * before the first such child is the span's own again. Children are clipped to their parent's
 * time (clock skew, async work outliving its caller); children wholly outside it are ignored.
 */
public final class CriticalPath {
    private CriticalPath() {}

    /** A stretch of time during which {@code spanId} was on the critical path. */
    public record Segment(String spanId, String service, String name, long startNanos, long endNanos) {
        public Segment {
            requireNonNull(spanId, "spanId");
            if (endNanos < startNanos) throw new IllegalArgumentException("endNanos must be >= startNanos");
        }

        public long durationNanos() {
            return endNanos - startNanos;
        }
    }

    /**
     * The critical path from the root: the earliest span without parent, else (root not arrived) the
     * earliest span whose parent is missing, longest on a tie. Segments are in chronological order,
     * non-empty, and tile [root start, root end] exactly; empty for no spans or a zero-length root.
     */
    public static List<Segment> compute(List<TraceState.Stub> stubs) {
        if (stubs.isEmpty()) return List.of();
        Map<String, TraceState.Stub> byId = new HashMap<>();
        for (TraceState.Stub s : stubs) byId.putIfAbsent(s.spanId(), s);
        Map<String, List<TraceState.Stub>> children = new HashMap<>();
        for (TraceState.Stub s : stubs) {
            if (s.parentSpanId() != null && byId.containsKey(s.parentSpanId())) {
                children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>())
                        .add(s);
            }
        }
        TraceState.Stub root = root(stubs, byId);

        List<Segment> reversed = new ArrayList<>();
        Set<TraceState.Stub> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Frame> stack = new ArrayDeque<>();
        visited.add(root);
        stack.push(new Frame(new Window(root, root.startNanos(), root.endNanos()), children));
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            Window child = f.lastChildEndingBy(visited);
            if (child != null) {
                emit(reversed, f.span.stub, child.end, f.cursor);
                f.cursor = child.start;
                visited.add(child.stub);
                stack.push(new Frame(child, children));
            } else {
                emit(reversed, f.span.stub, f.span.start, f.cursor);
                stack.pop();
            }
        }
        Collections.reverse(reversed);
        return reversed;
    }

    private static TraceState.Stub root(List<TraceState.Stub> stubs, Map<String, TraceState.Stub> byId) {
        TraceState.Stub parentless = null;
        TraceState.Stub orphan = null;
        TraceState.Stub earliest = null; // only when every span has a parent here: a cycle
        for (TraceState.Stub s : stubs) {
            if (s.parentSpanId() == null) {
                parentless = earlier(parentless, s);
            } else if (!byId.containsKey(s.parentSpanId())) {
                orphan = earlier(orphan, s);
            }
            earliest = earlier(earliest, s);
        }
        return parentless != null ? parentless : orphan != null ? orphan : earliest;
    }

    private static TraceState.Stub earlier(TraceState.Stub best, TraceState.Stub s) {
        return best == null || TraceState.EARLIEST_LONGEST.compare(s, best) < 0 ? s : best;
    }

    private static void emit(List<Segment> out, TraceState.Stub s, long start, long end) {
        if (start < end) out.add(new Segment(s.spanId(), s.service(), s.name(), start, end));
    }

    /** A span's time as seen by its parent: clipped to the parent's window. */
    private record Window(TraceState.Stub stub, long start, long end) {}

    /** Order of candidates: latest end first, then the longest, then by span id. */
    private static final Comparator<Window> LATEST_END_FIRST = Comparator.comparingLong((Window w) -> -w.end)
            .thenComparingLong(w -> w.start)
            .thenComparing(w -> w.stub.spanId());

    /** A span being walked: its clipped children by end, latest first, and the backwards cursor. */
    private static final class Frame {
        final Window span;
        final List<Window> children = new ArrayList<>();
        long cursor;
        int next;

        Frame(Window span, Map<String, List<TraceState.Stub>> childrenById) {
            this.span = span;
            this.cursor = span.end;
            for (TraceState.Stub c : childrenById.getOrDefault(span.stub.spanId(), List.of())) {
                long start = Math.max(c.startNanos(), span.start);
                long end = Math.min(c.endNanos(), span.end);
                if (end > start) children.add(new Window(c, start, end));
            }
            children.sort(LATEST_END_FIRST);
        }

        /** The next child ending at or before the cursor; those ending after it never qualify again. */
        Window lastChildEndingBy(Set<TraceState.Stub> visited) {
            while (next < children.size()) {
                Window c = children.get(next++);
                if (c.end <= cursor && !visited.contains(c.stub)) return c;
            }
            return null;
        }
    }
}
