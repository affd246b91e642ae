// Overview: what is happening now — logs per minute, error rate, levels, every service with its rate, error rate,
// span p95 and a sparkline, and the most frequent error templates. Refreshed every few seconds.
import { get } from '../api.js';
import { LEVEL_COLORS, Sparkline, TimeChart } from '../chart.js';
import { ErrorNote, RangePicker, Stat, fmtInt, fmtMs, fmtPct, fmtRate, fmtTime, h, minutesOf, usePoll } from '../lib.js';
import { go, href, setParams } from '../route.js';

/** Bucket size of the charts for a range of minutes. */
function intervalFor(minutes) {
  return minutes <= 60 ? '1m' : '5m';
}

async function loadOverview(minutes) {
  const to = Date.now();
  const from = to - minutes * 60_000;
  const [overview, series] = await Promise.all([
    get('/api/v1/metrics/overview', { minutes }),
    get('/api/v1/metrics/timeseries', { interval: intervalFor(minutes), from, to }),
  ]);
  return { overview, series };
}

/** Services given a sparkline: the busiest ones (the API's limit is 100). */
const SPARKLINES = 50;

/**
 * Per service: its sparkline, from one request for every service's series (the busiest SPARKLINES of them). The
 * spans' p95 comes with the overview itself (byService[].spans), so a poll costs the same whatever the number of
 * services.
 */
async function loadSparklines(minutes) {
  const to = Date.now();
  const from = to - minutes * 60_000;
  const series = await get('/api/v1/metrics/timeseries', { by: 'service', limit: SPARKLINES, interval: intervalFor(minutes), from, to });
  return Object.fromEntries(series.services.map((s) => [s.service, s.points.map((p) => p.total)]));
}

function LevelBar({ byLevel, total }) {
  if (!total) return h('div', { class: 'levelbar empty' }, 'no logs in this range');
  return h(
    'div',
    { class: 'levelbar', role: 'img', 'aria-label': Object.entries(byLevel).map(([l, n]) => `${l} ${n}`).join(', ') },
    Object.entries(byLevel)
      .filter(([, n]) => n > 0)
      .map(([level, n]) => h('span', { style: { flexGrow: n, background: LEVEL_COLORS[level] }, title: `${level}: ${fmtInt(n)}` }, n / total > 0.06 ? level : '')),
  );
}

export default function Overview({ route }) {
  const range = route.params.range || '15m';
  const minutes = minutesOf(range);
  const main = usePoll(() => loadOverview(minutes), [minutes], 5000);
  const sparks = usePoll(() => loadSparklines(minutes), [minutes], 15000);
  const o = main.data?.overview;
  const points = main.data?.series.points || [];
  const times = points.map((p) => Date.parse(p.start) / 1000);
  const levels = ['ERROR', 'WARN', 'INFO'];
  const services = o ? [...o.byService].sort((a, b) => b.total - a.total) : [];
  const sparklines = sparks.data || {};
  return h(
    'section',
    { class: 'view overview' },
    h('header', { class: 'view-head' }, h('h1', null, 'Overview'), h(RangePicker, { value: range, onChange: (r) => setParams({ range: r }) })),
    h(ErrorNote, { error: main.error }),
    !o
      ? h('p', { class: 'loading' }, 'Loading…')
      : [
          h(
            'div',
            { class: 'stats' },
            h(Stat, { label: 'logs / min', value: fmtRate(o.logsPerMinute) }),
            h(Stat, { label: `logs in ${range}`, value: fmtInt(o.total) }),
            h(Stat, { label: 'errors', value: fmtInt(o.errors), tone: o.errors ? 'bad' : '' }),
            h(Stat, { label: 'error rate', value: fmtPct(o.errorRate), tone: o.errorRate > 0.05 ? 'bad' : '' }),
            h(Stat, { label: 'services', value: fmtInt(services.length) }),
          ),
          h(LevelBar, { byLevel: o.byLevel, total: o.total }),
          h(
            'div',
            { class: 'panel' },
            h('h2', null, 'Logs per ', intervalFor(minutes) === '1m' ? 'minute' : '5 minutes', h('span', { class: 'hint' }, ' — drag across the chart to search that time')),
            h(TimeChart, {
              times,
              series: levels.map((l) => ({ label: l, values: points.map((p) => p.byLevel?.[l] || 0), color: LEVEL_COLORS[l], bars: false })),
              onSelect: (from, to) => go('logs', null, { from, to }),
            }),
          ),
          h(
            'div',
            { class: 'panel' },
            h('h2', null, 'Services'),
            h(
              'table',
              { class: 'grid services' },
              h('thead', null, h('tr', null, ['service', 'logs', 'logs / min', 'errors', 'error rate', 'span p95', 'trend'].map((c) => h('th', { scope: 'col' }, c)))),
              h(
                'tbody',
                null,
                services.map((s) =>
                  h(
                    'tr',
                    { key: s.name, class: s.errorRate > 0.05 ? 'bad' : '' },
                    h('td', null, h('a', { href: href('service', s.name, { range }) }, s.name)),
                    h('td', { class: 'num' }, fmtInt(s.total)),
                    h('td', { class: 'num' }, fmtRate(s.total / minutes)),
                    h('td', { class: 'num' }, s.errors ? h('a', { href: href('logs', null, { q: `service:"${s.name}" AND level:ERROR`, range }) }, fmtInt(s.errors)) : '0'),
                    h('td', { class: 'num' }, fmtPct(s.errorRate)),
                    h('td', { class: 'num' }, fmtMs(s.spans ? s.spans.p95Ms : null)),
                    h('td', null, h(Sparkline, { values: sparklines[s.name], color: s.errorRate > 0.05 ? LEVEL_COLORS.ERROR : LEVEL_COLORS.INFO })),
                  ),
                ),
              ),
            ),
          ),
          h(
            'div',
            { class: 'panel' },
            h('h2', null, 'Top errors'),
            o.topErrors.length === 0
              ? h('p', { class: 'muted' }, 'No errors in this range.')
              : h(
                  'table',
                  { class: 'grid errors' },
                  h('thead', null, h('tr', null, ['count', 'service', 'message template', 'last seen', ''].map((c) => h('th', { scope: 'col' }, c)))),
                  h(
                    'tbody',
                    null,
                    o.topErrors.map((e) =>
                      h(
                        'tr',
                        { key: e.service + e.template },
                        h('td', { class: 'num' }, fmtInt(e.count)),
                        h('td', null, h('a', { href: href('service', e.service, { range }) }, e.service)),
                        h('td', { class: 'template', title: e.example }, e.template),
                        h('td', null, fmtTime(e.lastSeen)),
                        h('td', null, e.exampleTraceId ? h('a', { href: href('trace', e.exampleTraceId) }, 'example trace') : null),
                      ),
                    ),
                  ),
                ),
          ),
        ],
  );
}
