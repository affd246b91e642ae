// One service: its log volume and errors, the RED metrics of each operation (a table over the range, and latency,
// calls and errors over time for the service or one operation, ?op= in the URL), its top errors, its latest logs,
// and example slow and failed traces — everything to go from "this service is unwell" to a trace.
import { ApiError, get } from '../api.js';
import { LEVEL_COLORS, TimeChart } from '../chart.js';
import { ErrorNote, RangePicker, Stat, fmtInt, fmtMs, fmtPct, fmtRate, fmtTime, h, minutesOf, usePoll } from '../lib.js';
import { href, setParams } from '../route.js';

async function load(name, minutes) {
  const to = Date.now();
  const from = to - minutes * 60_000;
  const [metrics, series, recent] = await Promise.all([
    get(`/api/v1/metrics/service/${encodeURIComponent(name)}`, { minutes }),
    get('/api/v1/metrics/timeseries', { service: name, interval: minutes <= 60 ? '1m' : '5m', from, to }),
    get('/api/v1/logs/recent', { service: name, limit: 20 }),
  ]);
  // operations only for a service that sent spans in the range (the endpoint answers 404 otherwise)
  const ops = metrics.spans ? await get(`/api/v1/services/${encodeURIComponent(name)}/operations`, { minutes }) : null;
  const [slow, failed] = ops
    ? await Promise.all([
        get('/api/v1/traces', { service: name, minDurationMs: Math.floor(ops.total.p95Ms), from, to, limit: 5 }).catch(() => null),
        get('/api/v1/traces', { service: name, error: true, from, to, limit: 5 }).catch(() => null),
      ])
    : [null, null];
  return { metrics, ops, series, recent, slow, failed };
}

/**
 * The service's (or one operation's) RED metrics per bucket; {empty: true} when nothing matches (the 404). An
 * operation without calls in the range (known: false) is not asked for: a 404 would be an error in the console.
 */
async function loadRed(name, minutes, op, known) {
  if (!known) return { empty: true, points: [] };
  try {
    return await get(`/api/v1/services/${encodeURIComponent(name)}/operations/series`, {
      minutes,
      interval: minutes <= 60 ? '1m' : '5m',
      operation: op,
    });
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { empty: true, points: [] };
    throw e;
  }
}

const LATENCY_COLORS = { p50: '#3f9d5a', p95: '#d39b1b', p99: '#d6453d' };
const CALL_COLORS = { calls: '#2f6fdb', errors: '#d6453d' };

/**
 * Latency (p50/p95/p99) and calls and errors per minute over time, for the service total or the operation op, with
 * a selector of the operation (kept in the URL as ?op=). Empty buckets have no quantiles: gaps in the latency lines.
 */
function RedCharts({ name, minutes, op, operations }) {
  const names = operations.map((o) => o.name);
  const known = !op || names.includes(op);
  if (!known) names.push(op);
  const { data, error } = usePoll(() => loadRed(name, minutes, op, known), [name, minutes, op, known], 10000);
  const selector = h(
    'label',
    { class: 'red-select' },
    'Operation ',
    h(
      'select',
      { value: op || '', onChange: (e) => setParams({ op: e.target.value || null }) },
      h('option', { value: '' }, `all (${name})`),
      names.map((n) => h('option', { key: n, value: n }, n)),
    ),
  );
  const points = data?.points || [];
  const times = points.map((p) => Date.parse(p.start) / 1000);
  // errors per minute on the calls' scale: errors × (calls per minute / calls)
  const errorsPerMinute = points.map((p) => (p.count ? (p.errors * p.perMinute) / p.count : 0));
  const body = (chart) => {
    if (!data) return error ? null : h('p', { class: 'loading' }, 'Loading…');
    if (data.empty) return h('p', { class: 'muted' }, `No calls of ${op || name} in this range.`);
    return chart;
  };
  return h(
    'div',
    { class: 'red-series' },
    h('div', { class: 'toolbar' }, h('h2', null, 'Over time ', h('span', { class: 'hint' }, op ? `— ${op}` : '— every operation')), selector),
    h(ErrorNote, { error }),
    h(
      'div',
      { class: 'columns' },
      h(
        'div',
        { class: 'panel' },
        h('h2', null, 'Latency'),
        body(
          h(TimeChart, {
            times,
            series: ['p50', 'p95', 'p99'].map((q) => ({ label: `${q} ms`, values: points.map((p) => p[`${q}Ms`]), color: LATENCY_COLORS[q] })),
            height: 160,
          }),
        ),
      ),
      h(
        'div',
        { class: 'panel' },
        h('h2', null, 'Calls and errors'),
        body(
          h(TimeChart, {
            times,
            series: [
              { label: 'calls / min', values: points.map((p) => p.perMinute), color: CALL_COLORS.calls },
              { label: 'errors / min', values: errorsPerMinute, color: CALL_COLORS.errors, bars: true },
            ],
            height: 160,
          }),
        ),
      ),
    ),
  );
}

function TraceList({ title, answer, empty }) {
  const traces = answer?.traces || [];
  return h(
    'div',
    { class: 'panel' },
    h('h2', null, title),
    traces.length === 0
      ? h('p', { class: 'muted' }, empty)
      : h(
          'ul',
          { class: 'plain' },
          traces.map((t) =>
            h(
              'li',
              { key: t.traceId },
              h('a', { href: href('trace', t.traceId) }, `${t.rootService}: ${t.rootOperation}`),
              ` ${fmtMs(t.durationMs)}, ${t.spanCount} spans`,
              t.error ? h('span', { class: 'level ERROR' }, 'error') : null,
              h('span', { class: 'muted' }, ` ${fmtTime(t.start)}`),
            ),
          ),
        ),
  );
}

export default function Service({ route }) {
  const name = route.id;
  const range = route.params.range || '15m';
  const minutes = minutesOf(range);
  const op = route.params.op || null;
  const { data, error } = usePoll(() => load(name, minutes), [name, minutes], 10000);
  const head = h(
    'header',
    { class: 'view-head' },
    h('h1', null, h('a', { href: href('services', null, { range }) }, 'Services'), ' / ', name),
    h(RangePicker, { value: range, onChange: (r) => setParams({ range: r }) }),
  );
  if (!data)
    return h('section', { class: 'view' }, head, h(ErrorNote, { error }), !error && h('p', { class: 'loading' }, 'Loading…'));
  const { metrics, ops, series, recent, slow, failed } = data;
  const w = metrics.window;
  const points = series.points;
  return h(
    'section',
    { class: 'view service' },
    head,
    h(ErrorNote, { error }),
    h(
      'div',
      { class: 'stats' },
      h(Stat, { label: 'logs / min', value: fmtRate(w.logsPerMinute) }),
      h(Stat, { label: 'errors', value: fmtInt(w.errors), tone: w.errors ? 'bad' : '' }),
      h(Stat, { label: 'log error rate', value: fmtPct(w.errorRate), tone: w.errorRate > 0.05 ? 'bad' : '' }),
      ops && h(Stat, { label: 'spans / min', value: fmtRate(ops.total.perMinute) }),
      ops && h(Stat, { label: 'span error rate', value: fmtPct(ops.total.errorRate), tone: ops.total.errorRate > 0.05 ? 'bad' : '' }),
      ops && h(Stat, { label: 'p50 / p95 / p99', value: `${fmtMs(ops.total.p50Ms)} / ${fmtMs(ops.total.p95Ms)} / ${fmtMs(ops.total.p99Ms)}` }),
    ),
    h(
      'div',
      { class: 'panel' },
      h('h2', null, 'Logs'),
      h(TimeChart, {
        times: points.map((p) => Date.parse(p.start) / 1000),
        series: ['ERROR', 'WARN', 'INFO'].map((l) => ({ label: l, values: points.map((p) => p.byLevel?.[l] || 0), color: LEVEL_COLORS[l] })),
        height: 150,
      }),
    ),
    ops && h(RedCharts, { name, minutes, op, operations: ops.operations }),
    h(
      'div',
      { class: 'panel' },
      h('h2', null, 'Operations', ops ? h('span', { class: 'hint' }, ' — click one to chart it') : null),
      !ops
        ? h('p', { class: 'muted' }, 'No spans from this service in this range.')
        : h(
            'table',
            { class: 'grid' },
            h('thead', null, h('tr', null, ['operation', 'calls', 'per min', 'errors', 'error rate', 'p50', 'p95', 'p99'].map((c, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, c)))),
            h(
              'tbody',
              null,
              ops.operations.map((o) =>
                h(
                  'tr',
                  { key: o.name, class: `${o.errorRate > 0.05 ? 'bad' : ''}${o.name === op ? ' on' : ''}` },
                  h(
                    'td',
                    null,
                    h(
                      'a',
                      {
                        class: 'op-select',
                        href: href('service', name, { ...route.params, op: o.name === op ? null : o.name }),
                        title: o.name === op ? 'Chart every operation' : 'Chart this operation',
                        'aria-current': o.name === op ? 'true' : undefined,
                        onClick: (e) => {
                          e.preventDefault();
                          setParams({ op: o.name === op ? null : o.name });
                        },
                      },
                      o.name,
                    ),
                    ' ',
                    h('a', { class: 'hint op-traces', href: href('traces', null, { service: name, operation: o.name, range }), title: 'Search its traces' }, 'traces →'),
                  ),
                  h('td', { class: 'num' }, fmtInt(o.count)),
                  h('td', { class: 'num' }, fmtRate(o.perMinute)),
                  h('td', { class: 'num' }, o.errors ? h('a', { href: href('traces', null, { service: name, operation: o.name, error: 'true', range }) }, fmtInt(o.errors)) : '0'),
                  h('td', { class: 'num' }, fmtPct(o.errorRate)),
                  h('td', { class: 'num' }, fmtMs(o.p50Ms)),
                  h('td', { class: 'num' }, fmtMs(o.p95Ms)),
                  h('td', { class: 'num' }, fmtMs(o.p99Ms)),
                ),
              ),
            ),
          ),
    ),
    h(
      'div',
      { class: 'columns' },
      h(TraceList, { title: 'Slow traces (≥ p95)', answer: slow, empty: 'None in this range.' }),
      h(TraceList, { title: 'Failed traces', answer: failed, empty: 'No failed traces in this range.' }),
    ),
    h(
      'div',
      { class: 'panel' },
      h('h2', null, 'Top errors'),
      metrics.topErrors.length === 0
        ? h('p', { class: 'muted' }, 'No errors in this range.')
        : h(
            'table',
            { class: 'grid errors' },
            h('thead', null, h('tr', null, ['count', 'message template', 'last seen', ''].map((c) => h('th', { scope: 'col' }, c)))),
            h(
              'tbody',
              null,
              metrics.topErrors.map((e) =>
                h(
                  'tr',
                  { key: e.template },
                  h('td', { class: 'num' }, fmtInt(e.count)),
                  h('td', { class: 'template', title: e.example }, e.template),
                  h('td', null, fmtTime(e.lastSeen)),
                  h('td', null, e.exampleTraceId ? h('a', { href: href('trace', e.exampleTraceId) }, 'example trace') : null),
                ),
              ),
            ),
          ),
    ),
    h(
      'div',
      { class: 'panel' },
      h('h2', null, 'Latest logs ', h('a', { class: 'hint', href: href('logs', null, { q: `service:"${name}"`, range }) }, '— search all')),
      h(
        'table',
        { class: 'grid loglines' },
        h(
          'tbody',
          null,
          recent.logs.map((l) =>
            h(
              'tr',
              { key: l['event.id'] },
              h('td', { class: 'mono nowrap' }, fmtTime(l['@timestamp'])),
              h('td', null, h('span', { class: `level ${l['log.level']}` }, l['log.level'])),
              h('td', { class: 'mono' }, l.message),
              h('td', null, l['trace.id'] ? h('a', { href: href('trace', l['trace.id'], { span: l['span.id'] }) }, 'trace') : null),
            ),
          ),
        ),
      ),
    ),
  );
}
