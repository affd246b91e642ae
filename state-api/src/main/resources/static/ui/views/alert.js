// One triggered alert: what breached, when, its sample traces (one click to the failing trace), and its actions.
// A notification's link lands here.
import { get } from '../api.js';
import { useState } from 'preact/hooks';
import { ErrorNote, fmtTime, h, usePoll } from '../lib.js';
import { href } from '../route.js';
import { AlertActions, CONDITION_SIGNS, StatusBadge, fmtValue } from './alerts.js';

function Row({ label, children }) {
  return h('tr', null, h('th', { scope: 'row' }, label), h('td', null, children));
}

export default function Alert({ route }) {
  const id = route.id;
  const { data, error } = usePoll(() => get(`/api/v1/alerts/triggered/${encodeURIComponent(id)}`), [id], 10000);
  const [updated, setUpdated] = useState(null);
  const a = updated || data;
  const head = h('header', { class: 'view-head' }, h('h1', null, h('a', { href: href('alerts') }, 'Alerts'), ' / ', a ? a.rule_name : id));
  if (!a) return h('section', { class: 'view' }, head, h(ErrorNote, { error }), !error && h('p', { class: 'loading' }, 'Loading…'));
  const traces = a.sample_trace_ids || [];
  return h(
    'section',
    { class: 'view alert' },
    head,
    h(ErrorNote, { error }),
    h(
      'div',
      { class: 'panel' },
      h('div', { class: 'toolbar' }, h(StatusBadge, { status: a.status }), h('span', { class: `sev ${a.severity}` }, a.severity), h(AlertActions, { alert: a, onDone: setUpdated })),
      h(
        'table',
        { class: 'props' },
        h(
          'tbody',
          null,
          h(Row, { label: 'service' }, a.service ? h('a', { href: href('service', a.service) }, a.service) : '–'),
          h(Row, { label: 'condition' }, h('span', { class: 'mono' }, `${a.metric} ${fmtValue(a.metric, a.value)} ${CONDITION_SIGNS[a.condition] || ''} ${fmtValue(a.metric, a.threshold)} over ${a.time_window} min`)),
          h(Row, { label: 'window' }, `${fmtTime(a.window_start, true)} – ${fmtTime(a.window_end, true)}`),
          h(Row, { label: 'fired' }, fmtTime(a.fired_at, true)),
          a.acknowledged_at && h(Row, { label: 'acknowledged' }, `${fmtTime(a.acknowledged_at, true)}${a.acknowledged_by ? ` by ${a.acknowledged_by}` : ''}`),
          a.resolved_at && h(Row, { label: 'resolved' }, `${fmtTime(a.resolved_at, true)}${a.resolve_reason ? ` (${a.resolve_reason})` : ''}`),
          h(Row, { label: 'rule' }, h('a', { href: href('rule', a.rule_id) }, a.rule_name)),
        ),
      ),
    ),
    h(
      'div',
      { class: 'panel' },
      h('h2', null, 'Sample traces'),
      traces.length === 0
        ? h('p', { class: 'muted' }, 'This alert has no sample traces (its logs carried no trace id).')
        : h('ul', { class: 'plain' }, traces.map((t) => h('li', { key: t }, h('a', { class: 'mono', href: href('trace', t) }, t)))),
      a.service && h('p', null, h('a', { href: href('logs', null, { q: `service:"${a.service}" AND level:ERROR`, from: Date.parse(a.window_start), to: Date.parse(a.window_end) }) }, 'The error logs of this window')),
    ),
  );
}
