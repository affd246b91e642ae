// Traces: search by service, operation, duration, errors, tags and time range (all in the URL), and a list of the
// matching traces with a duration bar each (scaled to the longest). A row opens its trace's waterfall.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api.js';
import { ErrorNote, fmtInt, fmtMs, fmtTime, h, usePoll } from '../lib.js';
import { href, setParams } from '../route.js';

/** The ranges a trace search offers (the API takes up to 7 days; older than the stream retention comes from the archive). */
const TRACE_RANGES = [
  ['15m', 15],
  ['1h', 60],
  ['6h', 360],
  ['24h', 1440],
  ['7d', 10080],
];

/** Service colours (no red, which marks errors). */
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#c9a227', '#ff9da7', '#9c755f', '#6b8e23', '#8c6bb1', '#2a9d8f', '#bab0ac', '#e377c2', '#17becf', '#a0522d', '#7f7fff'];

function slot(name) {
  let x = 0;
  for (const c of String(name || '')) x = (x * 31 + c.charCodeAt(0)) >>> 0;
  return x % PALETTE.length;
}

/** A service's colour from its name alone (the same in every view). */
export function serviceColor(name) {
  return PALETTE[slot(name)];
}

/**
 * The colours of a trace's services: each its own colour from its name, moved to the next free one when two of them
 * would share it. The same set of services (a trace's summary) gets the same colours in the list and in the trace;
 * extra names (services that only logged) come after and never move the others.
 */
export function serviceColors(names, extra = []) {
  const taken = new Map();
  const used = new Set();
  const add = (n) => {
    if (taken.has(n)) return;
    let k = slot(n);
    for (let tries = 0; used.has(k) && tries < PALETTE.length; tries++) k = (k + 1) % PALETTE.length;
    used.add(k);
    taken.set(n, PALETTE[k]);
  };
  [...new Set(names)].sort().forEach(add);
  [...new Set(extra)].sort().forEach(add);
  return (n) => taken.get(n) || serviceColor(n);
}

/** A service's name with its colour swatch. */
export function ServiceChip({ name, color }) {
  return h('span', { class: 'svc-chip' }, h('i', { style: { background: color ? color(name) : serviceColor(name) } }), name);
}

/** "k:v k2:v2" → ['k:v', 'k2:v2'] (a tag has no space in it). */
function tagsOf(text) {
  return (text || '').split(/\s+/).filter(Boolean);
}

async function search(p) {
  const minutes = (TRACE_RANGES.find(([l]) => l === p.range) || TRACE_RANGES[1])[1];
  const to = Date.now();
  return get('/api/v1/traces', {
    service: p.service,
    operation: p.operation,
    minDurationMs: p.minDurationMs,
    maxDurationMs: p.maxDurationMs,
    error: p.error === 'true' ? 'true' : null,
    tag: tagsOf(p.tag),
    from: to - minutes * 60_000,
    to,
    limit: p.limit || 50,
  });
}

function SearchForm({ params }) {
  const services = usePoll(() => get('/api/v1/services'), [], 60000);
  const ops = usePoll(
    () => (params.service ? get(`/api/v1/services/${encodeURIComponent(params.service)}/operations`, { minutes: 1440 }).catch(() => null) : Promise.resolve(null)),
    [params.service],
    0,
  );
  // text fields are edited here and written to the URL on submit
  const [draft, setDraft] = useState({});
  useEffect(() => setDraft({ minDurationMs: params.minDurationMs || '', maxDurationMs: params.maxDurationMs || '', tag: params.tag || '', operation: params.operation || '' }), [params.minDurationMs, params.maxDurationMs, params.tag, params.operation]);
  const names = (services.data?.services || []).map((s) => s.name).sort();
  if (params.service && !names.includes(params.service)) names.unshift(params.service);
  const opNames = (ops.data?.operations || []).map((o) => o.name).sort();
  const submit = (e) => {
    e.preventDefault();
    setParams({ ...draft }, false);
  };
  const field = (label, input) => h('label', { class: 'tf-field' }, h('span', null, label), input);
  return h(
    'form',
    { class: 'panel trace-form', onSubmit: submit, role: 'search' },
    field(
      'Service',
      h(
        'select',
        { value: params.service || '', onChange: (e) => setParams({ service: e.target.value, operation: '' }, false) },
        h('option', { value: '' }, 'any service'),
        names.map((n) => h('option', { value: n }, n)),
      ),
    ),
    field(
      'Operation',
      params.service && opNames.length
        ? h(
            'select',
            { value: params.operation || '', onChange: (e) => setParams({ operation: e.target.value }, false) },
            h('option', { value: '' }, 'any operation'),
            params.operation && !opNames.includes(params.operation) ? h('option', { value: params.operation }, params.operation) : null,
            opNames.map((n) => h('option', { value: n }, n)),
          )
        : h('input', { type: 'text', placeholder: 'any operation', value: draft.operation || '', onInput: (e) => setDraft({ ...draft, operation: e.target.value }) }),
    ),
    field(
      'Duration (ms)',
      h(
        'span',
        { class: 'tf-pair' },
        h('input', { type: 'number', min: 0, step: 'any', placeholder: 'min', 'aria-label': 'minimum duration in ms', value: draft.minDurationMs, onInput: (e) => setDraft({ ...draft, minDurationMs: e.target.value }) }),
        '–',
        h('input', { type: 'number', min: 0, step: 'any', placeholder: 'max', 'aria-label': 'maximum duration in ms', value: draft.maxDurationMs, onInput: (e) => setDraft({ ...draft, maxDurationMs: e.target.value }) }),
      ),
    ),
    field('Tags', h('input', { type: 'text', class: 'tf-tags', placeholder: 'http.status_code:500 key:value', value: draft.tag, onInput: (e) => setDraft({ ...draft, tag: e.target.value }) })),
    h(
      'label',
      { class: 'tf-check' },
      h('input', { type: 'checkbox', checked: params.error === 'true', onChange: (e) => setParams({ error: e.target.checked ? 'true' : '' }, false) }),
      ' errors only',
    ),
    h(
      'div',
      { class: 'segmented', role: 'group', 'aria-label': 'Time range' },
      TRACE_RANGES.map(([label]) =>
        h('button', { type: 'button', class: label === (params.range || '1h') ? 'on' : '', 'aria-pressed': label === (params.range || '1h'), onClick: () => setParams({ range: label }, false) }, label),
      ),
    ),
    h('button', { type: 'submit', class: 'primary' }, 'Search'),
  );
}

function ResultList({ data }) {
  const traces = data.traces || [];
  if (!traces.length) return h('p', { class: 'muted' }, 'No traces match in this range.');
  const longest = Math.max(...traces.map((t) => t.durationMs), 0.001);
  return h(
    'ol',
    { class: 'trace-list' },
    traces.map((t) => {
      const color = serviceColors(t.services || [t.rootService]);
      return h(
        'li',
        { key: t.traceId, class: t.error ? 'bad' : '' },
        h(
          'a',
          { href: href('trace', t.traceId), class: 'trace-row' },
          h(
            'div',
            { class: 'tr-top' },
            h('span', { class: 'tr-name' }, h(ServiceChip, { name: t.rootService || '?', color }), ' ', h('strong', null, t.rootOperation || '(unknown root)')),
            t.error ? h('span', { class: 'err-badge', title: `${t.errorCount} span(s) with status ERROR` }, `⚠ ${fmtInt(t.errorCount)} error${t.errorCount === 1 ? '' : 's'}`) : null,
            h('span', { class: 'tr-meta' }, `${fmtInt(t.spanCount)} span${t.spanCount === 1 ? '' : 's'} · ${fmtTime(t.start, true)}`),
          ),
          h(
            'div',
            { class: 'tr-bar-line' },
            h('div', { class: 'tr-bar-track' }, h('div', { class: 'tr-bar', style: { width: `${Math.max(0.5, (t.durationMs / longest) * 100)}%`, background: color(t.rootService) } })),
            h('span', { class: 'tr-dur' }, fmtMs(t.durationMs)),
          ),
          h(
            'div',
            { class: 'tr-services' },
            (t.services || []).map((s) => h(ServiceChip, { name: s, color })),
            h('code', { class: 'tr-id muted' }, t.traceId),
          ),
        ),
      );
    }),
  );
}

export default function Traces({ route }) {
  const p = route.params;
  const [refresh, setRefresh] = useState(0);
  const key = JSON.stringify([p.service, p.operation, p.minDurationMs, p.maxDurationMs, p.error, p.tag, p.range, p.limit, refresh]);
  const res = usePoll(() => search(p), [key], 0);
  const d = res.data;
  return h(
    'section',
    { class: 'view traces' },
    h('header', { class: 'view-head' }, h('h1', null, 'Traces'), h('button', { type: 'button', onClick: () => setRefresh(refresh + 1) }, 'Refresh')),
    h(SearchForm, { params: p }),
    h(ErrorNote, { error: res.error }),
    res.loading && !d ? h('p', { class: 'loading' }, 'Searching…') : null,
    d
      ? h(
          'div',
          { class: 'panel' },
          h(
            'h2',
            null,
            `${fmtInt(d.count)} trace${d.count === 1 ? '' : 's'}`,
            h('span', { class: 'hint' }, ` — newest first, ${fmtTime(d.from, true)} to ${fmtTime(d.to, true)}`),
            res.loading ? h('span', { class: 'hint' }, ' (updating…)') : null,
          ),
          d.archive === 'elasticsearch' ? h('p', { class: 'note' }, 'Part of this range is older than the stream stores keep: those traces were read from the search archive (Elasticsearch).') : null,
          d.archive === 'unavailable' ? h('p', { class: 'note warn' }, 'Part of this range is older than the stream stores keep, and the search archive could not be asked: older traces may be missing.') : null,
          h(ResultList, { data: d }),
          d.count >= (Number(p.limit) || 50) ? h('button', { type: 'button', onClick: () => setParams({ limit: Math.min(1000, (Number(p.limit) || 50) * 2) }, false) }, 'Show more') : null,
        )
      : null,
  );
}
