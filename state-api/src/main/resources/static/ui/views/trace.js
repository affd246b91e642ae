// One trace: its summary, the waterfall of its span tree with the critical path highlighted and every service's log
// lines inline under the span that wrote them, a trace-wide log tab, and the details of the selected span.
// State in the URL: #/trace/<id>?span=<spanId>&tab=waterfall|logs&q=<filter>&hide=1&zoom=<fromMs>_<toMs>.
// Built for 1,000-span traces: rows have a fixed height and only those in view are rendered when there are many.
import { Component } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, get } from '../api.js';
import { ErrorNote, fmtInt, fmtMs, fmtTime, h, usePoll } from '../lib.js';
import { href, setParams } from '../route.js';
import { ServiceChip, serviceColors } from './traces.js';

const ROW = 24; // px, every row of the waterfall (spans and logs)
const WINDOW_ABOVE = 300; // rows: above this many, only the rows in view are rendered
const OVERSCAN = 20;

/** The trace as the views need it: spans with their subtree's end, logs by span, critical path segments by span. */
function prepare(t) {
  const spans = t.spans || [];
  const index = new Map(spans.map((s, i) => [s.spanId, i]));
  // spans are depth-first: a span's subtree is the run of following spans deeper than it
  const end = new Array(spans.length);
  const stack = [];
  spans.forEach((s, i) => {
    while (stack.length && spans[stack[stack.length - 1]].depth >= s.depth) end[stack.pop()] = i;
    stack.push(i);
  });
  while (stack.length) end[stack.pop()] = spans.length;
  const logsBySpan = new Map();
  const orphans = [];
  for (const l of t.logs || []) {
    if (l.spanInTrace && index.has(l.spanId)) {
      if (!logsBySpan.has(l.spanId)) logsBySpan.set(l.spanId, []);
      logsBySpan.get(l.spanId).push(l);
    } else orphans.push(l);
  }
  const crit = new Map();
  for (const seg of t.criticalPath || []) {
    if (!crit.has(seg.spanId)) crit.set(seg.spanId, []);
    crit.get(seg.spanId).push(seg);
  }
  const text = spans.map((s) =>
    [s.service, s.name, s.spanId, s.kind, s.status, s.statusMessage, ...Object.entries(s.attributes || {}).flat()].join(' ').toLowerCase(),
  );
  const total = Math.max(t.summary?.durationMs || 0, ...spans.map((s) => s.offsetMs + s.durationMs), 0.001);
  const traceStartMs = t.summary ? t.summary.startNanos / 1e6 : spans.length ? spans[0].startNanos / 1e6 : 0;
  const color = serviceColors(t.summary?.services || spans.map((s) => s.service), [...spans.map((s) => s.service), ...(t.logs || []).map((l) => l.service)]);
  return { spans, index, end, logsBySpan, orphans, crit, text, total, traceStartMs, color, errors: errorSpans(spans, end) };
}

/**
 * The failed spans, where a failure starts first: a span in error none of whose descendants is (the deepest of a chain
 * of errors propagated upwards, usually the cause), in time order; then the other failed spans.
 */
export function errorSpans(spans, end) {
  const failed = [];
  spans.forEach((s, i) => s.status === 'ERROR' && failed.push(i));
  const isOrigin = (i) => !failed.some((k) => k > i && k < end[i]);
  const byStart = (a, b) => spans[a].offsetMs - spans[b].offsetMs || a - b;
  return [...failed.filter(isOrigin).sort(byStart), ...failed.filter((i) => !isOrigin(i)).sort(byStart)];
}

/** Which spans match the filter (null: no filter), and which have a matching descendant. */
function filterSpans(p, q) {
  if (!q) return null;
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const match = p.text.map((t) => words.every((w) => t.includes(w)));
  const keep = match.slice();
  // a span is kept (for context) when something in its subtree matches
  for (let i = p.spans.length - 1; i >= 0; i--) {
    if (!keep[i]) continue;
    const parent = p.index.get(p.spans[i].parentSpanId);
    if (parent !== undefined && parent < i) keep[parent] = true;
  }
  return { match, keep, count: match.filter(Boolean).length };
}

/** The rows shown: spans (not inside a collapsed one, not hidden by the filter), each followed by its logs. */
function buildRows(p, collapsed, filter, hide, showLogs) {
  const rows = [];
  const n = p.spans.length;
  for (let i = 0; i < n; i++) {
    const s = p.spans[i];
    if (hide && filter && !filter.keep[i]) {
      i = p.end[i] - 1;
      continue;
    }
    rows.push({ kind: 'span', i });
    const closed = collapsed.has(s.spanId);
    if (showLogs && !closed) {
      if (i === 0 && p.orphans.length) {
        rows.push({ kind: 'note', depth: s.depth + 1, text: `${p.orphans.length} log line${p.orphans.length === 1 ? '' : 's'} of this trace name a span that is not in it (or none):` });
        for (const l of p.orphans) rows.push({ kind: 'log', log: l, i, depth: s.depth + 1, orphan: true });
      }
      for (const l of p.logsBySpan.get(s.spanId) || []) rows.push({ kind: 'log', log: l, i, depth: s.depth + 1 });
    }
    if (closed) i = p.end[i] - 1;
  }
  return rows;
}

function parseZoom(z, total) {
  const m = /^(-?[\d.]+)_([\d.]+)$/.exec(z || '');
  if (!m) return [0, total];
  const a = Math.max(0, Number(m[1]));
  const b = Math.min(total, Number(m[2]));
  return b - a > total / 1e6 ? [a, b] : [0, total];
}

const zoomParam = (a, b, total) => (a <= 0 && b >= total ? '' : `${+a.toFixed(3)}_${+b.toFixed(3)}`);

function LevelBadge({ level }) {
  return h('span', { class: `level ${level}` }, level);
}

/** The time ruler; drag across it to zoom into that window. */
function Axis({ z0, z1, onZoom }) {
  const ref = useRef(null);
  const [drag, setDrag] = useState(null);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const toMs = (x) => {
    const r = ref.current.getBoundingClientRect();
    return z0 + Math.min(1, Math.max(0, (x - r.left) / r.width)) * (z1 - z0);
  };
  const down = (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    const a = toMs(e.clientX);
    setDrag([a, a]);
    const move = (ev) => setDrag([a, toMs(ev.clientX)]);
    const up = (ev) => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      const b = toMs(ev.clientX);
      setDrag(null);
      if (Math.abs(b - a) > (z1 - z0) / 200) onZoom(Math.min(a, b), Math.max(a, b));
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  };
  const pct = (ms) => `${((ms - z0) / (z1 - z0)) * 100}%`;
  return h(
    'div',
    { class: 'wf-axis', ref, onMouseDown: down, title: 'Drag to zoom into a time window' },
    ticks.map((f) =>
      h('span', { class: `wf-tick${f === 1 ? ' last' : ''}`, style: { left: `${f * 100}%` } }, fmtMs(z0 + f * (z1 - z0))),
    ),
    drag ? h('div', { class: 'wf-brush', style: { left: pct(Math.min(...drag)), width: `${(Math.abs(drag[1] - drag[0]) / (z1 - z0)) * 100}%` } }) : null,
  );
}

/**
 * A span's row: the name column (indentation, toggle, service, operation, log count) and its bar. It renders again
 * only when what it shows changes (not when another row is selected or the list scrolls); its handlers read the
 * newest props when called, since Preact hands new props to a component that skips rendering.
 */
class SpanRow extends Component {
  shouldComponentUpdate(next) {
    for (const k in next) if (typeof next[k] !== 'function' && next[k] !== this.props[k]) return true;
    return false;
  }

  render() {
    return spanRow(this.props, {
      toggle: () => this.props.onToggle(this.props.i),
      select: () => this.props.onSelect(this.props.i),
      focus: () => this.props.onFocusRow(this.props.i),
    });
  }
}

function spanRow({ p, i, selected, focused, collapsed, dim, match, z0, z1, showCrit }, on) {
  const s = p.spans[i];
  const hasKids = p.end[i] > i + 1;
  const err = s.status === 'ERROR';
  const w = z1 - z0;
  const left = ((s.offsetMs - z0) / w) * 100;
  const width = Math.max((s.durationMs / w) * 100, 0.15);
  const color = p.color(s.service);
  const segs = showCrit ? p.crit.get(s.spanId) || [] : [];
  const logs = s.logCount || p.logsBySpan.get(s.spanId)?.length || 0;
  const errLogs = (p.logsBySpan.get(s.spanId) || []).some((l) => l.level === 'ERROR' || l.level === 'FATAL');
  return h(
    'div',
    {
      class: `wf-row wf-span${selected ? ' sel' : ''}${err ? ' err' : ''}${dim ? ' dim' : ''}${match ? ' match' : ''}${s.criticalPathMs > 0 && showCrit ? ' crit' : ''}`,
      role: 'treeitem',
      'aria-level': s.depth + 1,
      'aria-expanded': hasKids ? String(!collapsed) : null,
      'aria-selected': String(selected),
      tabindex: focused ? 0 : -1,
      'data-row': i,
      'data-span': s.spanId,
      onClick: on.select,
      onFocus: on.focus,
    },
    h(
      'div',
      { class: 'wf-name', style: { paddingLeft: `${6 + s.depth * 14}px` } },
      h(
        'button',
        {
          type: 'button',
          class: `wf-toggle${hasKids ? '' : ' leaf'}`,
          tabindex: -1,
          'aria-label': collapsed ? 'expand' : 'collapse',
          onClick: (e) => {
            e.stopPropagation();
            if (hasKids) on.toggle();
          },
        },
        hasKids ? (collapsed ? '▸' : '▾') : '',
      ),
      h('i', { class: 'wf-swatch', style: { background: color } }),
      err ? h('span', { class: 'wf-err', title: s.statusMessage || 'status ERROR' }, '⚠') : null,
      h('span', { class: 'wf-svc' }, s.service),
      h('span', { class: 'wf-op', title: `${s.service} · ${s.name} · ${fmtMs(s.durationMs)}` }, s.name),
      collapsed && hasKids ? h('span', { class: 'wf-hidden' }, `+${p.end[i] - i - 1}`) : null,
      logs ? h('span', { class: `wf-logs${errLogs ? ' bad' : ''}`, title: `${logs} log line${logs === 1 ? '' : 's'} from this span` }, `☰ ${logs}`) : null,
    ),
    h(
      'div',
      { class: 'wf-time' },
      h(
        'div',
        { class: 'wf-bar', style: { left: `${left}%`, width: `${width}%`, background: color } },
        segs.map((g) => h('div', { class: 'wf-crit', style: { left: `${((g.offsetMs - s.offsetMs) / (s.durationMs || 1)) * 100}%`, width: `${(g.durationMs / (s.durationMs || 1)) * 100}%` } })),
      ),
      // the duration beside the bar, or inside its right end when the bar reaches the right edge
      left + width > 85
        ? h('span', { class: 'wf-dur in', style: { right: `calc(${Math.max(0, 100 - (left + width))}% + 3px)` } }, fmtMs(s.durationMs))
        : h('span', { class: 'wf-dur', style: { left: `calc(${Math.max(left + width, 0)}% + 4px)` } }, fmtMs(s.durationMs)),
    ),
  );
}

function LogRow({ p, row, dim, onSelect }) {
  const l = row.log;
  return h(
    'div',
    {
      class: `wf-row wf-log${row.orphan ? ' orphan' : ''}${dim ? ' dim' : ''} lv-${l.level}`,
      'data-span': l.spanId || '',
      onClick: () => onSelect(row.i),
      title: l.message,
    },
    h(
      'div',
      { class: 'wf-logline', style: { paddingLeft: `${6 + row.depth * 14 + 18}px` } },
      h(LevelBadge, { level: l.level }),
      h('span', { class: 'wf-ltime mono' }, fmtTime(l.timestamp)),
      h('span', { class: 'wf-lsvc', style: { color: p.color(l.service) } }, l.service),
      row.orphan && l.spanId ? h('span', { class: 'muted mono' }, `span ${l.spanId.slice(0, 8)}…`) : null,
      h('span', { class: 'wf-msg' }, l.message),
    ),
  );
}

function Waterfall({ t, p, params }) {
  const total = p.total;
  const [z0, z1] = parseZoom(params.zoom, total);
  const [collapsed, setCollapsed] = useState(() => new Set());
  const [showLogs, setShowLogs] = useState(true);
  const [showCrit, setShowCrit] = useState(true);
  const [query, setQuery] = useState(params.q || '');
  const hide = params.hide === '1';
  const selIdx = params.span ? p.index.get(params.span) : undefined;
  const [focusIdx, setFocusIdx] = useState(selIdx ?? 0);
  const scroller = useRef(null);
  const [scroll, setScroll] = useState({ top: 0, height: 600 });

  // the filter is applied as one types (debounced into the URL)
  useEffect(() => {
    const timer = setTimeout(() => (query !== (params.q || '') ? setParams({ q: query }) : null), 200);
    return () => clearTimeout(timer);
  }, [query]);
  const filter = useMemo(() => filterSpans(p, params.q), [p, params.q]);

  // a deep-linked span is shown even inside a collapsed subtree
  const effectiveCollapsed = useMemo(() => {
    if (selIdx === undefined) return collapsed;
    let out = collapsed;
    let k = selIdx;
    while (k !== undefined) {
      const parent = p.index.get(p.spans[k].parentSpanId);
      if (parent === undefined || parent >= k) break;
      if (out.has(p.spans[parent].spanId)) {
        if (out === collapsed) out = new Set(collapsed);
        out.delete(p.spans[parent].spanId);
      }
      k = parent;
    }
    return out;
  }, [collapsed, selIdx, p]);

  const rows = useMemo(() => buildRows(p, effectiveCollapsed, filter, hide, showLogs), [p, effectiveCollapsed, filter, hide, showLogs]);
  const rowOf = useMemo(() => {
    const m = new Map();
    rows.forEach((r, k) => r.kind === 'span' && m.set(r.i, k));
    return m;
  }, [rows]);
  const spanRows = useMemo(() => rows.filter((r) => r.kind === 'span').map((r) => r.i), [rows]);

  // withLogs: the span's log lines below it in view too, when they fit
  const bringIntoView = (i, focus, withLogs) => {
    const k = rowOf.get(i);
    const el = scroller.current;
    if (k === undefined || !el) return;
    const y = k * ROW;
    const below = withLogs && showLogs ? Math.min(p.logsBySpan.get(p.spans[i].spanId)?.length || 0, 8) * ROW : 0;
    if (y < el.scrollTop || y + ROW + below > el.scrollTop + el.clientHeight)
      el.scrollTop = Math.max(0, Math.min(y, Math.max(y - el.clientHeight / 3, y + 2 * ROW + below - el.clientHeight)));
    if (focus) requestAnimationFrame(() => el.querySelector(`[data-row="${i}"]`)?.focus({ preventScroll: true }));
  };

  // a deep link (or a click in the logs tab) scrolls its span into view once the rows are there
  const shownSpan = useRef(null);
  useLayoutEffect(() => {
    if (selIdx === undefined || shownSpan.current === params.span) return;
    shownSpan.current = params.span;
    setFocusIdx(selIdx);
    bringIntoView(selIdx, false);
  }, [selIdx, rowOf]);

  // a failed trace opened without a span (from an alert, a list) opens where it failed: the first error, in view
  const openedAtError = useRef(false);
  useLayoutEffect(() => {
    if (openedAtError.current || selIdx !== undefined || !p.errors.length) return;
    openedAtError.current = true;
    setFocusIdx(p.errors[0]);
    bringIntoView(p.errors[0], false, true);
  }, [rowOf]);
  const nextError = () => {
    const k = p.errors.indexOf(focusIdx);
    const i = p.errors[(k + 1) % p.errors.length];
    if (!rowOf.has(i)) setParams({ span: p.spans[i].spanId }); // inside a collapsed subtree or filtered out: open it
    setFocusIdx(i);
    bringIntoView(i, true, true);
  };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return undefined;
    const update = () => setScroll({ top: el.scrollTop, height: el.clientHeight });
    update();
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, []);

  const toggle = (i) => {
    const id = p.spans[i].spanId;
    const next = new Set(collapsed);
    if (effectiveCollapsed.has(id)) next.delete(id);
    else {
      next.add(id);
      if (selIdx !== undefined && selIdx > i && selIdx < p.end[i]) setParams({ span: id });
    }
    setCollapsed(next);
  };
  const select = (i) => {
    setFocusIdx(i);
    setParams({ span: p.spans[i].spanId });
  };
  const collapseAll = () => setCollapsed(new Set(p.spans.filter((s, i) => i > 0 && p.end[i] > i + 1).map((s) => s.spanId)));
  const zoom = (a, b) => setParams({ zoom: zoomParam(a, b, total) });
  const zoomBy = (f) => {
    const c = (z0 + z1) / 2;
    const half = Math.min(total, (z1 - z0) * f) / 2;
    let a = c - half;
    let b = c + half;
    if (a < 0) [a, b] = [0, b - a];
    if (b > total) [a, b] = [Math.max(0, a - (b - total)), total];
    zoom(a, b);
  };

  const keyDown = (e) => {
    const pos = spanRows.indexOf(focusIdx);
    const s = p.spans[focusIdx];
    if (!s) return;
    const collapsedHere = effectiveCollapsed.has(s.spanId);
    const hasKids = p.end[focusIdx] > focusIdx + 1;
    let next = null;
    if (e.key === 'ArrowDown') next = spanRows[Math.min(spanRows.length - 1, pos + 1)];
    else if (e.key === 'ArrowUp') next = spanRows[Math.max(0, pos - 1)];
    else if (e.key === 'Home') next = spanRows[0];
    else if (e.key === 'End') next = spanRows[spanRows.length - 1];
    else if (e.key === 'PageDown') next = spanRows[Math.min(spanRows.length - 1, pos + 15)];
    else if (e.key === 'PageUp') next = spanRows[Math.max(0, pos - 15)];
    else if (e.key === 'ArrowRight') {
      if (hasKids && collapsedHere) toggle(focusIdx);
      else if (hasKids) next = spanRows[pos + 1];
    } else if (e.key === 'ArrowLeft') {
      if (hasKids && !collapsedHere) toggle(focusIdx);
      else {
        const parent = p.index.get(s.parentSpanId);
        if (parent !== undefined && rowOf.has(parent)) next = parent;
      }
    } else if (e.key === 'Enter' || e.key === ' ') select(focusIdx);
    else if (e.key === 'Escape') setParams({ span: '' });
    else return;
    e.preventDefault();
    if (next !== null && next !== undefined) {
      setFocusIdx(next);
      bringIntoView(next, true);
    }
  };

  const windowed = rows.length > WINDOW_ABOVE;
  // the rendered window moves in steps of 10 rows (the overscan covers the rest), once per frame at most
  const frame = useRef(0);
  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const el = scroller.current;
      if (!el) return;
      const top = Math.floor(el.scrollTop / (10 * ROW)) * 10 * ROW;
      setScroll((old) => (old.top === top && old.height === el.clientHeight ? old : { top, height: el.clientHeight }));
    });
  };
  const first = windowed ? Math.max(0, Math.floor(scroll.top / ROW) - OVERSCAN) : 0;
  const last = windowed ? Math.min(rows.length, Math.ceil((scroll.top + scroll.height) / ROW) + OVERSCAN) : rows.length;
  const focusVisible = rowOf.has(focusIdx) ? focusIdx : spanRows[0];

  return h(
    'div',
    { class: 'waterfall' },
    h(
      'div',
      { class: 'wf-tools' },
      h('input', {
        type: 'search',
        class: 'wf-filter',
        placeholder: 'Filter spans: service, operation, attribute…',
        'aria-label': 'Filter spans',
        value: query,
        onInput: (e) => setQuery(e.target.value),
      }),
      filter ? h('span', { class: 'muted' }, `${fmtInt(filter.count)} of ${fmtInt(p.spans.length)} match`) : null,
      h('label', null, h('input', { type: 'checkbox', checked: hide, onChange: (e) => setParams({ hide: e.target.checked ? '1' : '' }) }), ' hide others'),
      h('span', { class: 'sep' }),
      h('button', { type: 'button', onClick: () => setCollapsed(new Set()) }, 'Expand all'),
      h('button', { type: 'button', onClick: collapseAll }, 'Collapse all'),
      h('label', null, h('input', { type: 'checkbox', checked: showLogs, onChange: (e) => setShowLogs(e.target.checked) }), ' logs inline'),
      h('label', { class: 'crit-toggle' }, h('input', { type: 'checkbox', checked: showCrit, onChange: (e) => setShowCrit(e.target.checked) }), ' critical path'),
      p.errors.length
        ? h('button', { type: 'button', class: 'next-error', onClick: nextError, title: 'The failed spans, where the failure started first' }, `⚠ Next error (${fmtInt(p.errors.length)})`)
        : null,
      h('span', { class: 'sep' }),
      h('span', { class: 'segmented', role: 'group', 'aria-label': 'Zoom the time axis' },
        h('button', { type: 'button', title: 'Zoom out', onClick: () => zoomBy(2) }, '−'),
        h('button', { type: 'button', title: 'Zoom in', onClick: () => zoomBy(0.5) }, '+'),
        h('button', { type: 'button', title: 'Show the whole trace', onClick: () => zoom(0, total), disabled: z0 <= 0 && z1 >= total }, 'Reset'),
      ),
    ),
    h(
      'div',
      { class: 'wf-head' },
      h('div', { class: 'wf-name' }, `Service · operation (${fmtInt(p.spans.length)} spans)`),
      h(Axis, { z0, z1, onZoom: zoom }),
    ),
    h(
      'div',
      { class: 'wf-body', ref: scroller, role: 'tree', 'aria-label': 'Spans of the trace', onKeyDown: keyDown, onScroll: windowed ? onScroll : null },
      h(
        'div',
        { style: { height: `${rows.length * ROW}px`, position: 'relative' } },
        h(
          'div',
          { style: { transform: `translateY(${first * ROW}px)` } },
          rows.slice(first, last).map((r, k) => {
            if (r.kind === 'note') return h('div', { key: `n${first + k}`, class: 'wf-row wf-note', style: { paddingLeft: `${6 + r.depth * 14 + 18}px` } }, r.text);
            if (r.kind === 'log') return h(LogRow, { key: `l${first + k}${r.log.eventId || ''}${r.orphan ? 'o' : ''}`, p, row: r, dim: filter && !filter.match[r.i], onSelect: select });
            const s = p.spans[r.i];
            return h(SpanRow, {
              key: s.spanId,
              p,
              i: r.i,
              selected: r.i === selIdx,
              focused: r.i === focusVisible,
              collapsed: effectiveCollapsed.has(s.spanId),
              dim: filter && !filter.match[r.i],
              match: filter && filter.match[r.i],
              z0,
              z1,
              showCrit,
              onToggle: toggle,
              onSelect: select,
              onFocusRow: setFocusIdx,
            });
          }),
        ),
      ),
    ),
    h('p', { class: 'hint wf-help' }, 'Keys: ↑/↓ move, ←/→ collapse/expand, Enter details, Esc close. Drag across the time axis to zoom.'),
  );
}

function KeyValues({ map }) {
  const entries = Object.entries(map || {}).sort(([a], [b]) => a.localeCompare(b));
  if (!entries.length) return h('p', { class: 'muted' }, 'none');
  return h(
    'table',
    { class: 'kv' },
    h('tbody', null, entries.map(([k, v]) => h('tr', { key: k }, h('th', { scope: 'row' }, k), h('td', null, String(v))))),
  );
}

function SpanDetails({ t, p, i, onClose }) {
  const s = p.spans[i];
  const parentIdx = p.index.get(s.parentSpanId);
  const logs = p.logsBySpan.get(s.spanId) || [];
  const startMs = s.startNanos / 1e6;
  const row = (k, v) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v));
  return h(
    'aside',
    { class: 'span-details panel', 'aria-label': 'Span details' },
    h(
      'div',
      { class: 'sd-head' },
      h('h2', null, h(ServiceChip, { name: s.service, color: p.color }), ' ', s.name),
      h('button', { type: 'button', class: 'close', 'aria-label': 'Close details', onClick: onClose }, '×'),
    ),
    h(
      'table',
      { class: 'kv' },
      h(
        'tbody',
        null,
        row('service', h('a', { href: href('service', s.service) }, s.service)),
        row('operation', s.name),
        row('kind', s.kind || 'UNSPECIFIED'),
        row('status', h('span', { class: s.status === 'ERROR' ? 'bad' : '' }, s.status || 'UNSET', s.statusMessage ? ` — ${s.statusMessage}` : '')),
        row('start', `${fmtTime(startMs, true)} (+${fmtMs(s.offsetMs)})`),
        row('duration', fmtMs(s.durationMs)),
        s.criticalPathMs > 0 ? row('on the critical path', fmtMs(s.criticalPathMs)) : null,
        row('span id', h('code', null, s.spanId)),
        row('parent', s.parentSpanId ? (parentIdx !== undefined ? h('a', { href: href('trace', t.traceId, { span: s.parentSpanId }) }, `${p.spans[parentIdx].service} · ${p.spans[parentIdx].name}`) : h('code', null, `${s.parentSpanId} (not in this trace)`)) : 'none (root)'),
        s.scope ? row('scope', s.scope) : null,
      ),
    ),
    h('h3', null, 'Attributes'),
    h(KeyValues, { map: s.attributes }),
    h('h3', null, `Events (${(s.events || []).length})`),
    (s.events || []).length
      ? h(
          'ul',
          { class: 'sd-events' },
          s.events.map((ev) =>
            h('li', null, h('span', { class: 'mono muted' }, `+${fmtMs(ev.timeNanos / 1e6 - startMs)} `), h('strong', { class: /exception/i.test(ev.name) ? 'bad' : '' }, ev.name), h(KeyValues, { map: ev.attributes })),
          ),
        )
      : h('p', { class: 'muted' }, 'none'),
    h('h3', null, `Links (${(s.links || []).length})`),
    (s.links || []).length
      ? h(
          'ul',
          { class: 'sd-links' },
          s.links.map((l) => h('li', null, h('a', { href: href('trace', l.traceId, { span: l.spanId }) }, h('code', null, `${l.traceId.slice(0, 16)}… / ${l.spanId}`)), h(KeyValues, { map: l.attributes }))),
        )
      : h('p', { class: 'muted' }, 'none'),
    h('h3', null, `Logs (${logs.length})`),
    logs.length
      ? h(
          'ul',
          { class: 'sd-logs' },
          logs.map((l) => h('li', { key: l.eventId }, h(LevelBadge, { level: l.level }), ' ', h('span', { class: 'mono muted' }, fmtTime(l.timestamp)), h('div', { class: 'sd-msg' }, l.message))),
        )
      : h('p', { class: 'muted' }, 'none'),
    h('h3', null, `Resource of ${s.service}`),
    h(KeyValues, { map: t.resources?.[s.service] }),
  );
}

function LogsTab({ t, p }) {
  const logs = t.logs || [];
  if (!logs.length) return h('p', { class: 'muted panel' }, 'No log lines carry this trace id.');
  return h(
    'table',
    { class: 'grid trace-logs' },
    h('thead', null, h('tr', null, ['time', 'level', 'service', 'message', 'span'].map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      null,
      logs.map((l) => {
        const i = l.spanInTrace ? p.index.get(l.spanId) : undefined;
        return h(
          'tr',
          { key: l.eventId, class: l.level === 'ERROR' || l.level === 'FATAL' ? 'bad' : '' },
          h('td', { class: 'mono nowrap' }, fmtTime(l.timestamp)),
          h('td', null, h(LevelBadge, { level: l.level })),
          h('td', null, h(ServiceChip, { name: l.service, color: p.color })),
          h('td', { class: 'msg' }, l.message),
          h(
            'td',
            { class: 'nowrap' },
            i !== undefined
              ? h('a', { href: href('trace', t.traceId, { tab: 'waterfall', span: l.spanId }) }, p.spans[i].name)
              : h('span', { class: 'muted', title: l.spanId ? `span ${l.spanId} is not in this trace` : 'no span id' }, l.spanId ? 'span not in trace' : 'no span'),
          ),
        );
      }),
    ),
  );
}

function Summary({ t, p }) {
  const s = t.summary || {};
  const critTotal = (t.criticalPath || []).reduce((a, g) => a + g.durationMs, 0);
  const stat = (label, value, tone) => h('div', { class: `stat ${tone || ''}` }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, label));
  return h(
    'div',
    null,
    h(
      'div',
      { class: 'stats' },
      stat('duration', fmtMs(s.durationMs)),
      stat('spans', fmtInt(t.spanCount ?? p.spans.length)),
      stat('services', fmtInt((s.services || []).length)),
      stat('errors', fmtInt(s.errorCount), s.errorCount ? 'bad' : ''),
      stat('log lines', fmtInt(t.logCount ?? (t.logs || []).length)),
      stat('critical path', critTotal ? `${fmtMs(critTotal)}` : '–'),
    ),
    h(
      'p',
      { class: 'trace-meta' },
      h('span', null, 'started ', fmtTime(s.start, true)),
      ' · ',
      (s.services || []).map((n) => [h(ServiceChip, { name: n, color: p.color }), ' ']),
      ' · source: ',
      t.source === 'elasticsearch' ? h('strong', { title: 'Older than the stream stores keep: read back from the search indices' }, 'archive (Elasticsearch)') : 'stream stores',
      critTotal ? h('span', { class: 'muted' }, ` · critical path: ${(t.criticalPath || []).length} segments over ${new Set((t.criticalPath || []).map((g) => g.spanId)).size} spans`) : null,
    ),
  );
}

export default function Trace({ route }) {
  const id = route.id;
  const params = route.params;
  // loaded once; "Reload" asks again (spans of a trace still running keep arriving)
  const [reload, setReload] = useState(0);
  const res = usePoll(() => get(`/api/v1/traces/${encodeURIComponent(id || '')}`), [id, reload], 0);
  const t = res.data;
  const p = useMemo(() => (t ? prepare(t) : null), [t]);
  const tab = params.tab === 'logs' ? 'logs' : 'waterfall';
  const selIdx = p && params.span ? p.index.get(params.span) : undefined;
  const head = h(
    'header',
    { class: 'view-head' },
    h('h1', null, t?.summary ? [h('span', { class: 'muted' }, 'Trace '), `${t.summary.rootService || '?'} · ${t.summary.rootOperation || '(unknown root)'}`] : 'Trace'),
    h('code', { class: 'muted' }, id),
    h('button', { type: 'button', onClick: () => setReload(reload + 1), disabled: res.loading }, res.loading ? 'Loading…' : 'Reload'),
    h('a', { href: href('traces') }, '← Traces'),
  );
  if (!id) return h('section', { class: 'view trace' }, head, h('p', { class: 'error' }, 'No trace id in the link.'));
  if (res.error && res.error instanceof ApiError && res.error.status === 404) {
    return h(
      'section',
      { class: 'view trace' },
      head,
      h('div', { class: 'panel not-found', role: 'alert' }, h('h2', null, 'No trace with this id'), h('p', null, 'Neither the stream stores nor the search archive hold spans or logs of ', h('code', null, id), '.'), h('a', { href: href('traces') }, 'Search traces')),
    );
  }
  return h(
    'section',
    { class: 'view trace' },
    head,
    h(ErrorNote, { error: res.error }),
    !t
      ? res.error
        ? null
        : h('p', { class: 'loading' }, 'Loading trace…')
      : [
          h(Summary, { t, p }),
          h(
            'div',
            { class: 'tabs', role: 'tablist' },
            [
              ['waterfall', 'Waterfall'],
              ['logs', `Logs (${fmtInt((t.logs || []).length)})`],
            ].map(([k, label]) => h('a', { role: 'tab', 'aria-selected': String(tab === k), class: tab === k ? 'on' : '', href: href('trace', id, { ...params, tab: k === 'waterfall' ? '' : k }) }, label)),
          ),
          h(
            'div',
            { class: `trace-main${selIdx !== undefined ? ' with-details' : ''}` },
            h('div', { class: 'trace-left' }, tab === 'logs' ? h(LogsTab, { t, p }) : h(Waterfall, { t, p, params })),
            selIdx !== undefined ? h(SpanDetails, { key: params.span, t, p, i: selIdx, onClose: () => setParams({ span: '' }) }) : null,
          ),
        ],
  );
}
