// Alerts: triggered alerts (acknowledge, resolve), the rules with their state, and the live alert stream.
import { get, post, stream } from '../api.js';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNote, fmtTime, h, usePoll } from '../lib.js';
import { go, href, setParams } from '../route.js';
import { atLeast, mayEdit, useUser } from '../session.js';

export function fmtValue(metric, v) {
  if (v === null || v === undefined) return '–';
  if (metric === 'error_rate' || metric === 'span_error_rate') return `${(v * 100).toFixed(2)} %`;
  if (metric === 'latency_p95' || metric === 'latency_p99') return `${v.toFixed(1)} ms`;
  if (metric === 'no_data') return `${v.toFixed(0)} min`;
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

export const CONDITION_SIGNS = {
  greater_than: '>',
  greater_than_or_equal: '≥',
  less_than: '<',
  less_than_or_equal: '≤',
  equals: '=',
};

export function StatusBadge({ status }) {
  return h('span', { class: `badge ${status}` }, status);
}

/** Acknowledge and resolve buttons; onDone(updated alert) after the server answered. */
export function AlertActions({ alert, onDone }) {
  const user = useUser();
  const [error, setError] = useState(null);
  if (!atLeast(user, 'editor')) return null; // a viewer reads alerts; acknowledging is an editor's
  const act = async (what) => {
    setError(null);
    try {
      onDone(await post(`/api/v1/alerts/triggered/${encodeURIComponent(alert.alert_id)}/${what}`, {}));
    } catch (e) {
      setError(e);
    }
  };
  return h(
    'span',
    { class: 'actions' },
    alert.status === 'firing' && h('button', { type: 'button', onClick: () => act('acknowledge') }, 'Acknowledge'),
    alert.status !== 'resolved' && h('button', { type: 'button', onClick: () => act('resolve') }, 'Resolve'),
    error && h('span', { class: 'field-error', role: 'alert' }, error.message),
  );
}

function Triggered({ status, tick }) {
  const { data, error } = usePoll(() => get('/api/v1/alerts/triggered', { status: status === 'all' ? null : status, limit: 200 }), [status, tick], 10000);
  const [changed, setChanged] = useState({});
  const alerts = (data?.alerts || []).map((a) => changed[a.alert_id] || a);
  return h(
    'div',
    { class: 'panel' },
    h(
      'div',
      { class: 'toolbar' },
      h('h2', null, 'Triggered alerts'),
      h(
        'div',
        { class: 'segmented', role: 'group', 'aria-label': 'Status' },
        ['firing', 'acknowledged', 'resolved', 'all'].map((s) => h('button', { type: 'button', class: s === status ? 'on' : '', 'aria-pressed': s === status, onClick: () => setParams({ status: s }) }, s)),
      ),
    ),
    h(ErrorNote, { error }),
    alerts.length === 0
      ? h('p', { class: 'muted' }, data ? `No ${status === 'all' ? '' : status + ' '}alerts.` : 'Loading…')
      : h(
          'table',
          { class: 'grid alerts' },
          h('thead', null, h('tr', null, ['status', 'rule', 'service', 'value', 'fired', '', ''].map((c) => h('th', { scope: 'col' }, c)))),
          h(
            'tbody',
            null,
            alerts.map((a) =>
              h(
                'tr',
                { key: a.alert_id, class: a.status === 'firing' ? 'bad' : '' },
                h('td', null, h(StatusBadge, { status: a.status })),
                h('td', null, h('a', { href: href('alert', a.alert_id) }, a.rule_name), h('span', { class: `sev ${a.severity}` }, a.severity)),
                h('td', null, a.service ? h('a', { href: href('service', a.service) }, a.service) : '–'),
                h('td', { class: 'mono' }, `${a.metric} ${fmtValue(a.metric, a.value)} ${CONDITION_SIGNS[a.condition] || ''} ${fmtValue(a.metric, a.threshold)}`),
                h('td', { class: 'nowrap' }, fmtTime(a.fired_at, true)),
                h('td', null, a.sample_trace_ids?.length ? h('a', { href: href('trace', a.sample_trace_ids[0]) }, 'sample trace') : null),
                h('td', null, h(AlertActions, { alert: a, onDone: (u) => setChanged((c) => ({ ...c, [u.alert_id]: u })) })),
              ),
            ),
          ),
        ),
  );
}

function Rules({ tick }) {
  const user = useUser();
  const editor = atLeast(user, 'editor');
  const { data, error } = usePoll(async () => {
    const [rules, firing, acked] = await Promise.all([
      get('/api/v1/alerts/rules'),
      get('/api/v1/alerts/triggered', { status: 'firing', limit: 1000 }),
      get('/api/v1/alerts/triggered', { status: 'acknowledged', limit: 1000 }),
    ]);
    return { rules: rules.rules, firing: firing.alerts, acked: acked.alerts };
  }, [tick], 10000);
  // a rule's state: firing while one of its alerts fires unacknowledged, acknowledged while someone is on it
  const firingBy = {};
  const ackedBy = {};
  for (const a of data?.firing || []) (firingBy[a.rule_id] ||= []).push(a.service);
  for (const a of data?.acked || []) (ackedBy[a.rule_id] ||= []).push(a.service);
  return h(
    'div',
    { class: 'panel' },
    h('div', { class: 'toolbar' }, h('h2', null, 'Rules'), editor && h('a', { class: 'button', href: href('rule', 'new') }, 'New rule')),
    h(ErrorNote, { error }),
    !data
      ? h('p', { class: 'loading' }, 'Loading…')
      : data.rules.length === 0
        ? h('p', { class: 'muted' }, 'No rules yet.', editor && [' ', h('a', { href: href('rule', 'new') }, 'Create one'), '.'])
        : h(
            'table',
            { class: 'grid rules' },
            h('thead', null, h('tr', null, ['state', 'rule', 'condition', 'services', 'notify', 'severity', 'owner'].map((c) => h('th', { scope: 'col' }, c)))),
            h(
              'tbody',
              null,
              data.rules.map((r) => {
                const firing = firingBy[r.id] || ackedBy[r.id] || [];
                const state = !r.is_active ? 'inactive' : firingBy[r.id] ? 'firing' : ackedBy[r.id] ? 'acknowledged' : 'ok';
                return h(
                  'tr',
                  { key: r.id, class: state === 'firing' ? 'bad' : '' },
                  h('td', null, h(StatusBadge, { status: state }), firing.length ? h('span', { class: 'muted' }, ` ${firing.join(', ')}`) : null),
                  h('td', null, h('a', { href: href('rule', r.id) }, r.name)),
                  h('td', { class: 'mono' }, `${r.metric} ${CONDITION_SIGNS[r.condition] || ''} ${r.metric === 'no_data' ? '' : fmtValue(r.metric, r.threshold)} over ${r.time_window} min`),
                  h('td', null, r.services.length ? r.services.join(', ') : 'every service'),
                  h('td', null, r.notification_channel),
                  h('td', null, h('span', { class: `sev ${r.severity}` }, r.severity)),
                  h('td', null, r.owner || '–', mayEdit(user, r) ? null : h('span', { class: 'muted', title: 'you may read this rule, not change it' }, ' · read-only')),
                );
              }),
            ),
          ),
  );
}

function LiveStream({ onEvent }) {
  const [events, setEvents] = useState([]);
  const [state, setState] = useState('connecting');
  useEffect(
    () =>
      stream('/api/v1/stream/alerts', {}, ['alert'], (type, e) => {
        setEvents((list) => [e, ...list].slice(0, 50));
        onEvent();
      }, setState),
    [],
  );
  return h(
    'div',
    { class: 'panel' },
    h('div', { class: 'toolbar' }, h('h2', null, 'Live alert stream'), h('span', { class: `conn ${state}` }, state)),
    events.length === 0
      ? h('p', { class: 'muted' }, 'Alerts appear here as they fire, are acknowledged and resolve.')
      : h(
          'ul',
          { class: 'plain' },
          events.map((e, i) =>
            h(
              'li',
              { key: i },
              h(StatusBadge, { status: String(e.state || '').toLowerCase() }),
              ' ',
              h('a', { href: href('alert', e.alert_id) }, e.rule_name || e.rule_id),
              e.service ? ` · ${e.service}` : '',
              ` · ${fmtValue(e.metric, e.value)}`,
              e.by ? ` · by ${e.by}` : '',
            ),
          ),
        ),
  );
}

export default function Alerts({ route }) {
  const status = route.params.status || 'firing';
  const [tick, setTick] = useState(0);
  return h(
    'section',
    { class: 'view alerts' },
    h('header', { class: 'view-head' }, h('h1', null, 'Alerts')),
    h(Triggered, { status, tick }),
    h(Rules, { tick }),
    h(LiveStream, { onEvent: () => setTick((t) => t + 1) }),
  );
}
