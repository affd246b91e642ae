// Service map: the dependency graph of the chosen range, laid out left to right by call depth. Edges carry calls,
// error rate and p95; nodes are coloured by their error rate. A click on a service opens its page.
import { get } from '../api.js';
import { ErrorNote, RangePicker, fmtInt, fmtMs, fmtPct, fmtRate, h, minutesOf, usePoll } from '../lib.js';
import { go, href, setParams } from '../route.js';

const NODE_W = 150;
const NODE_H = 44;
const COL_GAP = 210; // room for an edge's label
const ROW_GAP = 40;

/**
 * Column of each service: its distance in calls from an entry point (a service nobody calls, or, where every
 * service is called, the one that calls most and is called least). Shortest distances keep a dense graph wide and
 * shallow; the calls that go back to an earlier column are drawn as dashed arcs.
 */
export function layers(services, edges) {
  const calls = new Map(services.map((s) => [s, []]));
  const balance = new Map(services.map((s) => [s, 0])); // calls in minus calls out
  const called = new Set();
  for (const e of edges) {
    if (e.caller === e.callee || !calls.has(e.caller) || !calls.has(e.callee)) continue;
    calls.get(e.caller).push(e.callee);
    called.add(e.callee);
    const n = e.calls ?? 1;
    balance.set(e.callee, balance.get(e.callee) + n);
    balance.set(e.caller, balance.get(e.caller) - n);
  }
  const byBalance = [...services].sort((a, b) => balance.get(a) - balance.get(b) || a.localeCompare(b));
  const depth = new Map();
  const spread = (roots) => {
    const queue = roots.filter((r) => !depth.has(r));
    queue.forEach((r) => depth.set(r, 0));
    while (queue.length) {
      const s = queue.shift();
      for (const c of calls.get(s)) {
        if (depth.has(c)) continue;
        depth.set(c, depth.get(s) + 1);
        queue.push(c);
      }
    }
  };
  spread(byBalance.filter((s) => !called.has(s)));
  for (const s of byBalance) if (!depth.has(s)) spread([s]); // a group where every service is called
  return depth;
}

/** Node positions: columns by depth, rows ordered by the mean row of their callers (fewer crossings). */
function layout(services, edges) {
  const depth = layers(services, edges);
  const columns = [];
  for (const s of services) (columns[depth.get(s)] ||= []).push(s);
  const row = new Map();
  columns.forEach((col, i) => {
    if (i > 0) {
      const score = (s) => {
        const ys = edges.filter((e) => e.callee === s && row.has(e.caller)).map((e) => row.get(e.caller));
        return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : Infinity;
      };
      col.sort((a, b) => score(a) - score(b) || a.localeCompare(b));
    } else col.sort();
    col.forEach((s, j) => row.set(s, j));
  });
  const tallest = Math.max(1, ...columns.map((c) => c.length));
  const pos = new Map();
  columns.forEach((col, i) => {
    const offset = ((tallest - col.length) * (NODE_H + ROW_GAP)) / 2;
    col.forEach((s, j) => pos.set(s, { x: 20 + i * (NODE_W + COL_GAP), y: 60 + offset + j * (NODE_H + ROW_GAP) }));
  });
  return { pos, width: 40 + columns.length * (NODE_W + COL_GAP) - COL_GAP, height: 80 + tallest * (NODE_H + ROW_GAP) - ROW_GAP };
}

function tone(errorRate) {
  if (errorRate >= 0.05) return 'bad';
  if (errorRate >= 0.01) return 'warn';
  return 'good';
}

async function load(minutes) {
  const to = Date.now();
  const from = to - minutes * 60_000;
  const [deps, overview] = await Promise.all([get('/api/v1/dependencies', { from, to }), get('/api/v1/metrics/overview', { minutes })]);
  return { deps, overview };
}

export default function Services({ route }) {
  const range = route.params.range || '1h';
  const minutes = minutesOf(range, 60);
  const { data, error } = usePoll(() => load(minutes), [minutes], 10000);
  const head = h('header', { class: 'view-head' }, h('h1', null, 'Service map'), h(RangePicker, { value: range, onChange: (r) => setParams({ range: r }) }));
  if (!data) return h('section', { class: 'view' }, head, h(ErrorNote, { error }), !error && h('p', { class: 'loading' }, 'Loading…'));
  const { services, edges } = data.deps;
  const logErrors = Object.fromEntries(data.overview.byService.map((s) => [s.name, s.errorRate]));
  // a service's span error rate: the calls into it that failed
  const inbound = {};
  for (const e of edges) {
    const t = (inbound[e.callee] ||= { calls: 0, errors: 0 });
    t.calls += e.calls;
    t.errors += e.errors;
  }
  const errorRate = (s) => Math.max(logErrors[s] || 0, inbound[s] ? inbound[s].errors / Math.max(1, inbound[s].calls) : 0);
  if (services.length === 0)
    return h('section', { class: 'view' }, head, h(ErrorNote, { error }), h('p', { class: 'muted' }, 'No calls between services in this range. Spans sent with OpenTelemetry draw the map.'));
  const { pos, width, height } = layout(services, edges);
  // labels on the busiest calls only (the rest say it in their tooltip and the table): a dense graph stays readable
  const labelled = new Set(
    [...edges]
      .sort((a, b) => b.calls - a.calls)
      .slice(0, 8)
      .map((e) => e.caller + '>' + e.callee),
  );
  const edge = (e) => {
    const a = pos.get(e.caller);
    const b = pos.get(e.callee);
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const back = b.x <= a.x;
    const mx = (x1 + x2) / 2;
    // a call back to the same or an earlier column: an arc from the caller's top to the callee's top
    const d = back
      ? `M${a.x + NODE_W / 2},${a.y} C${a.x + NODE_W / 2},${a.y - 50} ${b.x + NODE_W / 2},${b.y - 50} ${b.x + NODE_W / 2},${b.y}`
      : `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
    const label = `${fmtInt(e.calls)} calls · ${fmtPct(e.errorRate)} err · p95 ${fmtMs(e.p95Ms)}`;
    const key = e.caller + '>' + e.callee;
    return h(
      'g',
      { class: `edge ${tone(e.errorRate)}${back ? ' back' : ''}`, key },
      h('title', null, `${e.caller} → ${e.callee}: ${e.calls} calls, ${e.errors} errors, p50 ${fmtMs(e.p50Ms)}, p95 ${fmtMs(e.p95Ms)}, p99 ${fmtMs(e.p99Ms)}`),
      h('path', { d, 'marker-end': 'url(#arrow)' }),
      labelled.has(key) && !back ? h('text', { x: mx, y: (y1 + y2) / 2 - 6, 'text-anchor': 'middle' }, label) : null,
    );
  };
  const node = (s) => {
    const p = pos.get(s);
    const open = () => go('service', s, { range });
    return h(
      'g',
      { class: `node ${tone(errorRate(s))}`, key: s, transform: `translate(${p.x},${p.y})`, tabindex: 0, role: 'link', 'aria-label': `${s}, error rate ${fmtPct(errorRate(s))}`, onClick: open, onKeyDown: (e) => e.key === 'Enter' && open() },
      h('rect', { width: NODE_W, height: NODE_H, rx: 6 }),
      h('text', { x: NODE_W / 2, y: 19, 'text-anchor': 'middle', class: 'name' }, s),
      h('text', { x: NODE_W / 2, y: 35, 'text-anchor': 'middle', class: 'sub' }, `errors ${fmtPct(errorRate(s))}`),
    );
  };
  return h(
    'section',
    { class: 'view services' },
    head,
    h(ErrorNote, { error }),
    h(
      'div',
      { class: 'panel map' },
      h(
        'svg',
        { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `Service map: ${services.length} services, ${edges.length} dependencies` },
        h('defs', null, h('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, h('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))),
        edges.map(edge),
        services.map(node),
      ),
    ),
    h(
      'div',
      { class: 'panel' },
      h('h2', null, 'Dependencies'),
      h(
        'table',
        { class: 'grid' },
        h('thead', null, h('tr', null, ['caller', 'callee', 'calls', 'per min', 'errors', 'error rate', 'p50', 'p95', 'p99'].map((c, i) => h('th', { scope: 'col', class: i > 1 ? 'num' : '' }, c)))),
        h(
          'tbody',
          null,
          [...edges]
            .sort((a, b) => b.calls - a.calls)
            .map((e) =>
              h(
                'tr',
                { key: e.caller + '>' + e.callee, class: tone(e.errorRate) === 'bad' ? 'bad' : '' },
                h('td', null, h('a', { href: href('service', e.caller, { range }) }, e.caller)),
                h('td', null, h('a', { href: href('service', e.callee, { range }) }, e.callee)),
                h('td', { class: 'num' }, e.calls),
                h('td', { class: 'num' }, fmtRate(e.perMinute)),
                h('td', { class: 'num' }, e.errors),
                h('td', { class: 'num' }, fmtPct(e.errorRate)),
                h('td', { class: 'num' }, fmtMs(e.p50Ms)),
                h('td', { class: 'num' }, fmtMs(e.p95Ms)),
                h('td', { class: 'num' }, fmtMs(e.p99Ms)),
              ),
            ),
        ),
      ),
    ),
  );
}
