// Logs: search with the query syntax over a time range (a histogram to brush, highlighted hits, every field a
// click-to-filter chip, the lines around a hit, its trace), or the live tail (the SSE stream with the same filters,
// pause/resume, resumed without gaps after a network blip). Everything the page shows is in the URL:
// #/logs?q=&service=&level=&range=&from=&to=&live=1
import { Component } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, get, stream } from '../api.js';
import { TimeChart } from '../chart.js';
import { ErrorNote, RangePicker, fmtInt, fmtTime, h, minutesOf } from '../lib.js';
import { href, setParams } from '../route.js';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
/** Hits per page of the search. */
const PAGE = 100;
/** Lines the live tail keeps (the newest); older ones drop off the bottom. */
const LIVE_CAP = 1000;
/** Lines of the recent-logs endpoint shown when the live tail starts. */
const LIVE_SEED = 100;
/** How often arrived live lines are put on the page (one render for a burst). */
const LIVE_FLUSH_MS = 250;

// ---- logs in one shape ----

/** A log of the live tail (the ECS document of logflow.logs) in the search API's shape. */
function fromEcs(d) {
  const labels = { ...(d.labels || {}) };
  const correlationId = labels.correlation_id ?? null;
  delete labels.correlation_id;
  return {
    eventId: d['event.id'],
    timestamp: Date.parse(d['@timestamp']),
    service: d['service.name'],
    level: d['log.level'],
    message: d.message ?? '',
    traceId: d['trace.id'] || null,
    spanId: d['span.id'] || null,
    requestId: d['http.request.id'] || null,
    correlationId,
    labels,
  };
}

/** A log from any endpoint (the API's record, or an ECS document) in one shape, its time in epoch millis. */
function normalize(log) {
  if (log && log['@timestamp'] !== undefined) return fromEcs(log);
  const t = typeof log.timestamp === 'number' ? log.timestamp : Date.parse(log.timestamp);
  return { ...log, timestamp: t, labels: log.labels || {} };
}

/** Epoch millis from a URL parameter (epoch millis or ISO-8601), or null. */
function instantParam(raw) {
  if (!raw) return null;
  if (/^\d+$/.test(raw)) return Number(raw);
  const t = Date.parse(raw);
  return Number.isNaN(t) ? null : t;
}

function fmtWhen(t) {
  const sameDay = new Date(t).toDateString() === new Date().toDateString();
  return fmtTime(t, !sameDay);
}

// ---- the query text ----

/** A value as a query phrase: "…" with quotes and backslashes escaped. */
function phrase(v) {
  return `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A field name with the characters the query syntax reserves escaped. */
function fieldName(f) {
  return f.replace(/[+\-=&|><!(){}[\]^"~*?:\\/ ]/g, (c) => `\\${c}`);
}

/** The query with field:"value" (or -field:"value") added; a query with OR is grouped first. */
export function addTerm(q, field, value, exclude) {
  const term = `${exclude ? '-' : ''}${fieldName(field)}:${phrase(value)}`;
  const base = (q || '').trim();
  if (!base) return term;
  if (base.includes(term)) return base;
  return /\bOR\b/.test(base) ? `(${base}) ${term}` : `${base} ${term}`;
}

/** The API's fields by the names the query syntax knows (its own and the ECS ones). */
const QUERY_FIELDS = {
  service: 'service',
  'service.name': 'service',
  level: 'level',
  'log.level': 'level',
  trace_id: 'traceId',
  'trace.id': 'traceId',
  span_id: 'spanId',
  'span.id': 'spanId',
  request_id: 'requestId',
  'http.request.id': 'requestId',
  event_id: 'eventId',
  'event.id': 'eventId',
  msg: 'message',
  message: 'message',
  correlation_id: 'correlationId',
};

/**
 * The query as a client-side filter for the live tail (which the server filters by service and level only): its
 * words and field:value terms, each a case-insensitive substring; -term and NOT exclude; with OR any positive term
 * is enough. Ranges and groups are not understood (their words are matched as words). Null for an empty query.
 */
export function liveMatcher(q) {
  const text = (q || '').replace(/[()]/g, ' ');
  const re = /([-!])?(?:((?:[A-Za-z_@]|\\.)(?:[\w.@]|\\.)*):)?("(?:[^"\\]|\\.)*"?|\S+)/g;
  const terms = [];
  let any = false;
  let negateNext = false;
  for (const m of text.matchAll(re)) {
    const [, sign, rawField, rawValue] = m;
    if (!rawField && !sign && (rawValue === 'AND' || rawValue === 'OR' || rawValue === 'NOT')) {
      if (rawValue === 'OR') any = true;
      if (rawValue === 'NOT') negateNext = true;
      continue;
    }
    if (/^[[{<>=]/.test(rawValue)) continue; // a range: not understood here
    let value = rawValue.startsWith('"') ? rawValue.replace(/^"|"$/g, '') : rawValue.replace(/\*$/, '');
    const exact = value.replace(/\\(.)/g, '$1');
    value = exact.toLowerCase();
    if (!value) continue;
    const field = rawField ? rawField.replace(/\\(.)/g, '$1') : null;
    terms.push({ field, value, exact, exclude: !!sign || negateNext });
    negateNext = false;
  }
  if (!terms.length) return null;
  const fieldOf = (log, field) => {
    const known = QUERY_FIELDS[field];
    if (known) return log[known];
    const key = field.startsWith('labels.') ? field.slice(7) : field;
    return log.labels?.[key];
  };
  const has = (log, t) => {
    if (t.field) {
      const v = fieldOf(log, t.field);
      if (v === null || v === undefined) return false;
      const s = String(v).toLowerCase();
      return QUERY_FIELDS[t.field] === 'level' ? s === t.value : s.includes(t.value);
    }
    return [log.message, log.service, log.level, log.traceId, log.spanId, log.requestId, log.eventId].some((v) => v && String(v).toLowerCase().includes(t.value));
  };
  const positive = terms.filter((t) => !t.exclude);
  const negative = terms.filter((t) => t.exclude);
  const match = (log) => {
    if (negative.some((t) => has(log, t))) return false;
    if (!positive.length) return true;
    return any ? positive.some((t) => has(log, t)) : positive.every((t) => has(log, t));
  };
  match.words = positive.filter((t) => !t.field || QUERY_FIELDS[t.field] === 'message').map((t) => t.value);
  // What the server can filter too (one service, a level), so fewer lines cross the network.
  const pinned = (name) => {
    const found = any ? [] : positive.filter((t) => t.field && QUERY_FIELDS[t.field] === name);
    return found.length === 1 ? found[0].exact : null;
  };
  match.service = pinned('service');
  const level = pinned('level')?.toUpperCase();
  match.level = LEVELS.includes(level) ? level : null;
  return match;
}

/** Text with every case-insensitive occurrence of words in <mark>. */
function marked(text, words) {
  if (!words || !words.length || !text) return text;
  const lower = text.toLowerCase();
  const out = [];
  let i = 0;
  while (i < text.length) {
    let best = -1;
    let len = 0;
    for (const w of words) {
      const at = lower.indexOf(w, i);
      if (at >= 0 && (best < 0 || at < best || (at === best && w.length > len))) {
        best = at;
        len = w.length;
      }
    }
    if (best < 0) break;
    if (best > i) out.push(text.slice(i, best));
    out.push(h('mark', null, text.slice(best, best + len)));
    i = best + len;
  }
  out.push(text.slice(i));
  return out;
}

// ---- small components ----

/** A component that renders again only when one of its props changed (by identity): rows of long lists. */
function pure(fn) {
  return class extends Component {
    shouldComponentUpdate(next) {
      const keys = new Set([...Object.keys(next), ...Object.keys(this.props)]);
      for (const k of keys) if (next[k] !== this.props[k]) return true;
      return false;
    }

    render(props) {
      return h(fn, props);
    }
  };
}

/** The query bar: Enter runs it; the server's message about a query that does not parse is shown under it. */
function QueryBar({ q, error, live, onRun }) {
  const [text, setText] = useState(q);
  const input = useRef(null);
  useEffect(() => setText(q), [q]);
  useEffect(() => {
    const key = (e) => {
      const t = e.target;
      const typing = t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || t?.isContentEditable;
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, []);
  const column = error ? Number((/at column (\d+)/.exec(error.message) || [])[1]) || null : null;
  useEffect(() => {
    if (column && input.current && document.activeElement === input.current) input.current.setSelectionRange(column - 1, column);
  }, [error]);
  return h(
    'form',
    {
      class: 'logs-query',
      role: 'search',
      onSubmit: (e) => {
        e.preventDefault();
        onRun(text.trim());
      },
    },
    h('input', {
      ref: input,
      type: 'search',
      name: 'q',
      value: text,
      onInput: (e) => setText(e.target.value),
      placeholder: live ? 'Filter the live lines by words or field:value (press / to focus)' : 'Search: words, "a phrase", service:checkout AND level:error, -term, trace_id:…  (press / to focus)',
      'aria-label': 'Query',
      'aria-invalid': error ? 'true' : null,
      'aria-describedby': error ? 'logs-q-error' : 'logs-q-help',
      autocomplete: 'off',
      spellcheck: false,
    }),
    h('button', { type: 'submit', class: 'primary' }, live ? 'Filter' : 'Search'),
    error
      ? h(
          'div',
          { id: 'logs-q-error', class: 'field-error', role: 'alert' },
          error.message,
          column && q ? h('div', { class: 'q-at mono' }, q.slice(0, column - 1), h('span', { class: 'q-col' }, q.slice(column - 1, column) || ' '), q.slice(column)) : null,
        )
      : h(
          'div',
          { id: 'logs-q-help', class: 'hint q-help' },
          live
            ? 'Live: the server filters by service and level; the query\'s words and field:value terms filter the lines here.'
            : 'Words must all match (AND); "phrases", field:value, OR, NOT, -term, (groups), inv*, field:[a TO b]. A bare word also finds ids.',
        ),
  );
}

/** One field of an expanded line: a chip that filters on its value (Alt or Shift: excludes it) and an exclude button. */
function FieldChip({ name, field, value, onFilter, mono = true }) {
  if (value === null || value === undefined || value === '') return null;
  return h(
    'div',
    { class: 'field-row' },
    h('span', { class: 'field-name' }, name),
    h(
      'span',
      { class: 'chip' },
      h(
        'button',
        {
          type: 'button',
          class: `chip-value ${mono ? 'mono' : ''}`,
          title: `Filter: ${field}:${phrase(value)} (Alt- or Shift-click: exclude)`,
          onClick: (e) => onFilter(field, value, e.altKey || e.shiftKey),
        },
        String(value),
      ),
      h('button', { type: 'button', class: 'chip-out', title: `Exclude: -${field}:${phrase(value)}`, 'aria-label': `Exclude ${name} ${value}`, onClick: () => onFilter(field, value, true) }, '−'),
    ),
  );
}

function LogDetails({ log, onFilter, context, onContext }) {
  const labels = Object.entries(log.labels || {}).sort(([a], [b]) => a.localeCompare(b));
  return h(
    'div',
    { class: 'log-details' },
    h(
      'div',
      { class: 'log-actions' },
      h('button', { type: 'button', 'aria-pressed': context, onClick: onContext }, context ? 'Hide context' : 'Show context'),
      log.traceId ? h('a', { class: 'button', href: href('trace', log.traceId, { span: log.spanId }) }, 'Open trace ›') : null,
      h('span', { class: 'hint' }, new Date(log.timestamp).toISOString()),
    ),
    h(
      'div',
      { class: 'fields' },
      h(FieldChip, { name: 'service', field: 'service', value: log.service, onFilter }),
      h(FieldChip, { name: 'level', field: 'level', value: log.level, onFilter }),
      h(FieldChip, { name: 'trace_id', field: 'trace_id', value: log.traceId, onFilter }),
      h(FieldChip, { name: 'span_id', field: 'span_id', value: log.spanId, onFilter }),
      h(FieldChip, { name: 'request_id', field: 'request_id', value: log.requestId, onFilter }),
      h(FieldChip, { name: 'correlation_id', field: 'correlation_id', value: log.correlationId, onFilter }),
      labels.map(([k, v]) => h(FieldChip, { key: k, name: k, field: `labels.${k}`, value: v, onFilter })),
      h(FieldChip, { name: 'event_id', field: 'event_id', value: log.eventId, onFilter }),
    ),
  );
}

/** The lines before and after a log from the same service (and instance), the log itself highlighted. */
function Context({ log }) {
  const [size, setSize] = useState(20);
  const [state, setState] = useState({ loading: true });
  const [attempt, setAttempt] = useState(0);
  const box = useRef(null);
  const anchor = useRef(null);
  useEffect(() => {
    let alive = true;
    setState((s) => ({ ...s, loading: true }));
    get(`/api/v1/logs/${encodeURIComponent(log.eventId)}/context`, { before: size, after: size })
      .then((data) => alive && setState({ data }))
      .catch((error) => alive && setState({ error }));
    return () => {
      alive = false;
    };
  }, [log.eventId, size, attempt]);
  useEffect(() => {
    if (!box.current || !anchor.current) return;
    box.current.scrollTop = anchor.current.offsetTop - box.current.clientHeight / 2 + anchor.current.clientHeight / 2;
    box.current.scrollIntoView({ block: 'nearest' });
  }, [state.data]);
  if (state.error) {
    const notYet = state.error instanceof ApiError && state.error.status === 404;
    return h(
      'div',
      { class: 'context panel' },
      notYet ? h('div', { class: 'error', role: 'alert' }, 'This line is not searchable yet: logs are indexed a few seconds after they arrive.') : h(ErrorNote, { error: state.error }),
      h('button', { type: 'button', onClick: () => setAttempt((n) => n + 1) }, 'Try again'),
    );
  }
  if (!state.data) return h('div', { class: 'context panel loading' }, 'Loading the lines around it…');
  const { before = [], after = [], sameAs = {} } = state.data;
  const line = (l, isAnchor) => {
    const x = normalize(l);
    return h(
      'div',
      { key: x.eventId, class: `ctx-line ${isAnchor ? 'anchor' : ''}`, ref: isAnchor ? anchor : null, 'aria-current': isAnchor ? 'true' : null },
      h('time', { class: 'log-time' }, fmtWhen(x.timestamp)),
      h('span', { class: `level ${x.level}` }, x.level),
      h('span', { class: 'log-msg' }, x.message),
      x.traceId ? h('a', { class: 'log-trace', href: href('trace', x.traceId, { span: x.spanId }), title: 'Open its trace' }, 'trace ›') : h('span'),
    );
  };
  const same = Object.entries(sameAs)
    .map(([k, v]) => `${k.replace(/^labels\./, '')} ${v}`)
    .join(', ');
  return h(
    'div',
    { class: 'context panel' },
    h(
      'div',
      { class: 'ctx-head' },
      h('strong', null, 'Context'),
      h('span', { class: 'hint' }, ` ${before.length} before, ${after.length} after — same ${same || 'service'}`),
      h('span', { class: 'spacer' }),
      size < 500 ? h('button', { type: 'button', onClick: () => setSize((n) => Math.min(500, n * 2)), disabled: state.loading }, `Show ${Math.min(500, size * 2)} each side`) : null,
    ),
    h('div', { class: 'ctx-lines', ref: box }, before.map((l) => line(l, false)), line(state.data.log, true), after.map((l) => line(l, false))),
  );
}

/** One line of the results or of the live tail; expands to its fields and its context. */
function LogLineBody({ log, highlight, words, onFilter }) {
  const [open, setOpen] = useState(false);
  const [context, setContext] = useState(false);
  const toggle = () => setOpen((o) => !o);
  return h(
    'div',
    { class: `log-line ${open ? 'open' : ''} lvl-${log.level}`, role: 'listitem' },
    h(
      'div',
      {
        class: 'log-head',
        onClick: (e) => {
          if (e.target.closest('a, button') || String(window.getSelection() || '')) return;
          toggle();
        },
      },
      h('button', { type: 'button', class: 'log-toggle', 'aria-expanded': open, 'aria-label': open ? 'Collapse the line' : 'Expand the line: its fields and context', onClick: toggle }, open ? '▾' : '▸'),
      h('time', { class: 'log-time', dateTime: new Date(log.timestamp).toISOString() }, fmtWhen(log.timestamp)),
      h('span', { class: `level ${log.level}` }, log.level),
      h('span', { class: 'log-service', title: log.service }, log.service),
      highlight ? h('span', { class: 'log-msg', dangerouslySetInnerHTML: { __html: highlight } }) : h('span', { class: 'log-msg' }, marked(log.message, words)),
      log.traceId ? h('a', { class: 'log-trace', href: href('trace', log.traceId, { span: log.spanId }), title: 'Open its trace' }, 'trace ›') : h('span'),
    ),
    open
      ? h(LogDetails, {
          log,
          onFilter,
          context,
          onContext: () => setContext((c) => !c),
        })
      : null,
    open && context ? h(Context, { log }) : null,
  );
}

const LogLine = pure(LogLineBody);

/** In a list of lines, ↓/↑ (or j/k) on a line's toggle moves to the next/previous line; Enter or Space expands it. */
function listKeys(e) {
  const down = e.key === 'ArrowDown' || e.key === 'j';
  const up = e.key === 'ArrowUp' || e.key === 'k';
  if (!(down || up) || !e.target.classList?.contains('log-toggle')) return;
  const all = [...e.currentTarget.querySelectorAll(':scope > .log-line > .log-head > .log-toggle')];
  const next = all[all.indexOf(e.target) + (down ? 1 : -1)];
  if (next) {
    e.preventDefault();
    next.focus();
  }
}

/** The theme's accent colour as #rrggbb (the chart appends an alpha for its fill). */
function accent() {
  const c = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim();
  return /^#[0-9a-f]{6}$/i.test(c) ? c : '#2f6fdb';
}

/** The histogram of the first page as bars; brushing it zooms to that time. */
function Histogram({ histogram }) {
  const { times, series } = useMemo(() => {
    const buckets = histogram?.buckets || [];
    if (buckets.length < 2) return { times: [], series: [] };
    const times = buckets.map((b) => Date.parse(b.time) / 1000);
    const values = buckets.map((b) => b.count);
    // An empty slot at each end, so the first and last bars are drawn whole.
    const step = times[1] - times[0];
    return {
      times: [times[0] - step, ...times, times[times.length - 1] + step],
      series: [{ label: 'logs', values: [null, ...values, null], color: accent(), bars: true }],
    };
  }, [histogram]);
  if (!times.length) return null;
  return h(TimeChart, { times, series, height: 120, onSelect: (from, to) => setParams({ from, to }, false) });
}

// ---- search ----

function useSearch(enabled, query, nonce) {
  const [state, setState] = useState({ loading: false, error: null, hits: [], total: null });
  const seq = useRef(0);
  const { q, service, level, from, to, minutes } = query;
  useEffect(() => {
    if (!enabled) return;
    const n = ++seq.current;
    const end = to ?? Date.now();
    const start = from ?? end - minutes * 60_000;
    setState((s) => ({ ...s, loading: true }));
    get('/api/v1/logs/search', { q, service, level, from: start, to: end, limit: PAGE })
      .then((r) => {
        if (n !== seq.current) return;
        setState({ loading: false, error: null, hits: r.hits, total: r.total, totalRelation: r.totalRelation, tookMs: r.tookMs, histogram: r.histogram, cursor: r.cursor, from: start, to: end });
      })
      .catch((error) => {
        if (n === seq.current) setState({ loading: false, error, hits: [], total: null });
      });
  }, [enabled, q, service, level, from, to, minutes, nonce]);
  const more = () => {
    const n = seq.current;
    setState((s) => ({ ...s, moreLoading: true, moreError: null }));
    get('/api/v1/logs/search', { q, service, level, limit: PAGE, cursor: state.cursor })
      .then((r) => n === seq.current && setState((s) => ({ ...s, moreLoading: false, hits: [...s.hits, ...r.hits], cursor: r.cursor })))
      .catch((moreError) => n === seq.current && setState((s) => ({ ...s, moreLoading: false, moreError })));
  };
  return [state, more];
}

function Results({ search, more, onFilter, onLive, onRetry, range }) {
  const { error } = search;
  if (error && error instanceof ApiError && error.status === 400 && error.problem.parameter === 'q') return null; // shown under the bar
  if (error && error instanceof ApiError && (error.status === 503 || error.status === 0)) {
    return h(
      'div',
      { class: 'error', role: 'alert' },
      h('strong', null, error.status === 0 ? 'LogFlow is not reachable.' : 'Search is unavailable: Elasticsearch is not answering.'),
      h('span', { class: 'detail' }, ` (${error.message}${error.retryAfter ? `; retry in ${error.retryAfter} s` : ''}) `),
      h('button', { type: 'button', class: 'refresh', onClick: onRetry }, 'Try again'),
      error.status === 503 ? [' The live tail does not need Elasticsearch: ', h('button', { type: 'button', class: 'to-live', onClick: onLive }, 'Open the live tail')] : null,
    );
  }
  if (error) return h(ErrorNote, { error });
  if (search.total === null || search.total === undefined) return search.loading ? h('p', { class: 'loading' }, 'Searching…') : null;
  const words = null;
  return h(
    'div',
    { class: 'results' },
    h(
      'div',
      { class: 'results-head' },
      h('strong', { class: 'total' }, `${search.totalRelation === 'gte' ? '≥ ' : ''}${fmtInt(search.total)} ${search.total === 1 ? 'log' : 'logs'}`),
      h('span', { class: 'hint' }, ` ${range}, newest first${search.tookMs !== undefined ? ` · ${search.tookMs} ms` : ''}${search.loading ? ' · searching…' : ''}`),
    ),
    h(Histogram, { histogram: search.histogram }),
    search.hits.length === 0
      ? h('p', { class: 'muted empty' }, 'No logs match in this time range. Try a longer range or fewer terms.')
      : h(
          'div',
          { class: 'log-list', role: 'list', 'aria-label': 'Logs (↓/↑ between lines, Enter expands)', onKeyDown: listKeys },
          search.hits.map((hit) => {
            const log = hit.normalized || (hit.normalized = normalize(hit.log));
            return h(LogLine, { key: log.eventId, log, highlight: hit.highlight?.message?.[0], words, onFilter });
          }),
        ),
    search.moreError ? h(ErrorNote, { error: search.moreError }) : null,
    search.cursor
      ? h('div', { class: 'more' }, h('button', { type: 'button', onClick: more, disabled: search.moreLoading }, search.moreLoading ? 'Loading…' : `Load ${PAGE} more`), h('span', { class: 'hint' }, ` ${fmtInt(search.hits.length)} shown`))
      : search.hits.length
        ? h('p', { class: 'hint more' }, `All ${fmtInt(search.hits.length)} shown.`)
        : null,
  );
}

// ---- live tail ----

function useLiveTail(enabled, service, level, matcher) {
  const [lines, setLines] = useState([]);
  const [conn, setConn] = useState('connecting');
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState(0);
  const [restart, setRestart] = useState(0);
  // Scrolled down into the list: new lines are held (as when paused) so the lines being read stay in place.
  const [away, setAway] = useState(false);
  const awayRef = useRef(false);
  awayRef.current = away;
  const incoming = useRef([]);
  const buffer = useRef([]);
  const pausedRef = useRef(false);
  const matchRef = useRef(matcher);
  const lastId = useRef(null);
  matchRef.current = matcher;
  pausedRef.current = paused;

  useEffect(() => {
    if (!enabled) return undefined;
    setLines([]);
    setConn('connecting');
    incoming.current = [];
    buffer.current = [];
    setHeld(0);
    const seen = new Set();
    const keep = (log) => {
      if (!log.eventId || seen.has(log.eventId)) return false;
      seen.add(log.eventId);
      if (seen.size > LIVE_CAP * 4) seen.clear();
      const m = matchRef.current;
      return !m || m(log);
    };
    let alive = true;
    // The newest lines first, so the page is not empty until the next log arrives.
    get('/api/v1/logs/recent', { service, level, limit: LIVE_SEED })
      .then((r) => {
        if (!alive) return;
        const logs = (Array.isArray(r) ? r : r.logs || []).map(normalize).filter(keep);
        setLines((cur) => [...cur, ...logs].slice(0, LIVE_CAP));
      })
      .catch(() => {});
    const close = stream(
      '/api/v1/stream/logs',
      { service, level, last_event_id: restart ? lastId.current : null },
      ['log'],
      (type, data, id) => {
        if (id) lastId.current = id;
        if (!data || typeof data !== 'object') return;
        const log = fromEcs(data);
        if (keep(log)) incoming.current.push(log);
      },
      setConn,
    );
    const timer = setInterval(() => {
      if (!incoming.current.length) return;
      // Newest first; the partitions of logflow.logs interleave, so a burst is put in time order.
      const fresh = incoming.current.sort((a, b) => b.timestamp - a.timestamp);
      incoming.current = [];
      if (pausedRef.current || awayRef.current) {
        buffer.current = [...fresh, ...buffer.current].slice(0, LIVE_CAP);
        setHeld((n) => n + fresh.length);
      } else {
        setLines((cur) => [...fresh, ...cur].slice(0, LIVE_CAP));
      }
    }, LIVE_FLUSH_MS);
    return () => {
      alive = false;
      close();
      clearInterval(timer);
    };
  }, [enabled, service, level, restart]);

  useEffect(() => {
    if (!enabled) return undefined;
    const onScroll = () => setAway(window.scrollY > 240);
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, [enabled]);
  const release = () => {
    const held = buffer.current;
    buffer.current = [];
    setHeld(0);
    if (held.length) setLines((cur) => [...held, ...cur].slice(0, LIVE_CAP));
  };
  useEffect(() => {
    if (!away && !paused) release();
  }, [away]);

  const pause = () => setPaused(true);
  const resume = () => {
    setPaused(false);
    release();
    if (awayRef.current) window.scrollTo({ top: 0 });
  };
  const toTop = () => window.scrollTo({ top: 0 });
  const clear = () => setLines([]);
  const reconnect = () => setRestart((n) => n + 1);
  return { lines, conn, paused, away, held, pause, resume, toTop, clear, reconnect };
}

const CONN_LABEL = { connecting: 'connecting…', open: 'live', reconnecting: 'reconnecting…', closed: 'disconnected' };

function LiveTail({ tail, matcher, onFilter }) {
  const shown = matcher ? tail.lines.filter(matcher) : tail.lines;
  const words = matcher?.words;
  useEffect(() => {
    const key = (e) => {
      const t = e.target;
      if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || t instanceof HTMLButtonElement) return;
      if (e.key === 'p' && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        if (tail.paused) tail.resume();
        else tail.pause();
      }
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, [tail.paused]);
  return h(
    'div',
    { class: 'results live' },
    h(
      'div',
      { class: 'results-head' },
      h('span', { class: `conn ${tail.conn}`, role: 'status', 'aria-live': 'polite' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), CONN_LABEL[tail.conn] || tail.conn),
      tail.conn === 'closed' ? h('button', { type: 'button', onClick: tail.reconnect }, 'Reconnect') : null,
      tail.paused
        ? h('button', { type: 'button', class: 'primary', onClick: tail.resume, title: 'Resume (p)' }, `Resume${tail.held ? ` · ${fmtInt(tail.held)} new` : ''}`)
        : h('button', { type: 'button', onClick: tail.pause, title: 'Pause (p)' }, 'Pause'),
      !tail.paused && tail.away ? h('button', { type: 'button', class: 'primary', onClick: tail.toTop, title: 'New lines are held while you read further down' }, `↑ ${fmtInt(tail.held)} new`) : null,
      h('button', { type: 'button', onClick: tail.clear }, 'Clear'),
      h('span', { class: 'hint' }, `${fmtInt(shown.length)} lines${tail.lines.length >= LIVE_CAP ? ` (the newest ${fmtInt(LIVE_CAP)} kept)` : ''}, newest first${tail.paused ? ' · paused: new lines are held until you resume' : tail.away ? ' · new lines are held while you read down here' : ' · p pauses'}`),
    ),
    shown.length === 0
      ? h('p', { class: 'muted empty' }, tail.conn === 'open' ? 'Waiting for logs that match…' : 'No lines yet.')
      : h(
          'div',
          { class: 'log-list', role: 'list', 'aria-label': 'Live logs (↓/↑ between lines, Enter expands)', onKeyDown: listKeys },
          shown.map((log) => h(LogLine, { key: log.eventId, log, words, onFilter })),
        ),
  );
}

// ---- the view ----

function useServices() {
  const [names, setNames] = useState([]);
  useEffect(() => {
    get('/api/v1/services')
      .then((r) => {
        const list = Array.isArray(r) ? r : r.services || [];
        setNames(list.map((s) => (typeof s === 'string' ? s : s.name)).filter(Boolean).sort());
      })
      .catch(() => {});
  }, []);
  return names;
}

export default function Logs({ route }) {
  const p = route.params;
  const live = p.live === '1';
  const q = (p.q || '').trim();
  const service = p.service || '';
  const level = p.level || '';
  const range = p.range || '15m';
  const from = instantParam(p.from);
  const to = instantParam(p.to);
  const absolute = from !== null || to !== null;
  const minutes = minutesOf(range);
  const [nonce, setNonce] = useState(0);
  const services = useServices();
  const matcher = useMemo(() => (live ? liveMatcher(q) : null), [live, q]);
  const [search, more] = useSearch(!live, { q, service, level, from, to, minutes }, nonce);
  const tail = useLiveTail(live, service || matcher?.service || '', level || matcher?.level || '', matcher);

  // One function for every row, reading the current route when called (so the rows need not render again).
  const routeRef = useRef(p);
  routeRef.current = p;
  const onFilter = useMemo(
    () => (field, value, exclude) => {
      const cur = routeRef.current;
      if (field === 'service' && !exclude) setParams({ service: value }, false);
      else setParams({ q: addTerm(cur.q, field, value, exclude) }, false);
    },
    [],
  );

  const run = (text) => {
    if (text === q) setNonce((n) => n + 1);
    else setParams({ q: text }, false);
  };
  const qError = !live && search.error instanceof ApiError && search.error.status === 400 && search.error.problem.parameter === 'q' ? search.error : null;
  const rangeText = absolute ? `${fmtWhen(from ?? to - 15 * 60_000)} – ${to ? fmtWhen(to) : 'now'}` : `last ${range}`;

  return h(
    'section',
    { class: 'view logs' },
    h('header', { class: 'view-head' }, h('h1', null, 'Logs'), h(
      'button',
      {
        type: 'button',
        class: `live-toggle ${live ? 'on' : ''}`,
        'aria-pressed': live,
        title: live ? 'Back to search' : 'Follow new logs as they arrive (SSE)',
        onClick: () => setParams({ live: live ? null : '1' }, false),
      },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      live ? 'Live tail: on' : 'Live tail',
    )),
    h(QueryBar, { q, error: qError, live, onRun: run }),
    h(
      'div',
      { class: 'logs-filters' },
      h(
        'label',
        null,
        'Service ',
        h(
          'select',
          { value: service, onChange: (e) => setParams({ service: e.target.value || null }, false) },
          h('option', { value: '' }, 'all services'),
          (service && !services.includes(service) ? [service, ...services] : services).map((s) => h('option', { value: s }, s)),
        ),
      ),
      h(
        'label',
        null,
        'Level ',
        h(
          'select',
          { value: level, onChange: (e) => setParams({ level: e.target.value || null }, false) },
          h('option', { value: '' }, 'any level'),
          LEVELS.map((l) => h('option', { value: l }, l === 'FATAL' ? 'FATAL' : `${l} and above`)),
        ),
      ),
      live
        ? null
        : absolute
          ? h(
              'div',
              { class: 'abs-range' },
              h('span', { class: 'mono' }, rangeText),
              h('button', { type: 'button', onClick: () => setParams({ from: null, to: null }, false), title: `Back to the last ${range}` }, `reset to ${range}`),
            )
          : h(RangePicker, { value: range, onChange: (r) => setParams({ range: r, from: null, to: null }, false) }),
      live || absolute ? null : h('button', { type: 'button', class: 'refresh', onClick: () => setNonce((n) => n + 1), title: 'Search again up to now' }, '↻ Refresh'),
    ),
    live ? h(LiveTail, { tail, matcher, onFilter }) : h(Results, { search, more, onFilter, onLive: () => setParams({ live: '1' }, false), onRetry: () => setNonce((n) => n + 1), range: rangeText }),
  );
}
