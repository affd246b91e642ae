// What every view shares: time ranges, formatting, polling, and small components.
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export { h };

/** The time ranges the pickers offer, in minutes (the API's overview takes 1–1440). */
export const RANGES = [
  ['15m', 15],
  ['1h', 60],
  ['6h', 360],
  ['24h', 1440],
];

/** Minutes of a range label ("1h" → 60); the default when unknown. */
export function minutesOf(label, fallback = 15) {
  const found = RANGES.find(([l]) => l === label);
  return found ? found[1] : fallback;
}

export function fmtInt(n) {
  return n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US');
}

export function fmtRate(x, digits = 1) {
  if (x === null || x === undefined) return '–';
  // a slow rate keeps two significant digits (0.033/min, not 0)
  if (x > 0 && x < 1) return x.toLocaleString('en-US', { maximumSignificantDigits: 2 });
  return x.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function fmtPct(ratio) {
  if (ratio === null || ratio === undefined) return '–';
  const p = ratio * 100;
  return `${p < 10 ? p.toFixed(2) : p.toFixed(1)} %`;
}

export function fmtMs(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A timestamp (ISO text or epoch millis) as local time with milliseconds. */
export function fmtTime(t, withDate = false) {
  if (t === null || t === undefined) return '–';
  const d = new Date(t);
  const time = d.toLocaleTimeString('en-GB', { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  return withDate ? `${d.toLocaleDateString('en-CA')} ${time}` : time;
}

/**
 * Calls load() now and every intervalMs (paused while the tab is hidden), re-run when deps change. Returns
 * {data, error, loading}; the last data stays shown while a refresh fails.
 */
export function usePoll(load, deps, intervalMs = 5000) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    let timer = null;
    const run = async () => {
      if (document.hidden) {
        timer = setTimeout(run, intervalMs);
        return;
      }
      try {
        const data = await load();
        if (alive.current) setState({ data, error: null, loading: false });
      } catch (e) {
        if (alive.current) setState((s) => ({ data: s.data, error: e, loading: false }));
      }
      if (alive.current && intervalMs > 0) timer = setTimeout(run, intervalMs);
    };
    setState((s) => ({ ...s, loading: true }));
    run();
    return () => {
      alive.current = false;
      clearTimeout(timer);
    };
  }, deps);
  return state;
}

/** An error as the user should read it: the server's problem detail, and when to retry a 503. */
export function ErrorNote({ error }) {
  if (!error) return null;
  const detail = error instanceof ApiError ? error.message : String(error.message || error);
  const retry = error instanceof ApiError && error.retryAfter ? ` (retrying; the server says ${error.retryAfter} s)` : '';
  return h('div', { class: 'error', role: 'alert' }, detail + retry);
}

/**
 * A form field: its label, the control (children: a function of the control's id and, while the server refuses the
 * field, the id of the message that says why, for aria-describedby), a hint, and that message from a 400's fields.
 */
export function Field({ name, label, errors, hint, id = `f-${name}`, children }) {
  const msg = errors[name];
  return h(
    'div',
    { class: `field${msg ? ' invalid' : ''}` },
    h('label', { for: id }, label),
    children(id, msg ? `${id}-error` : null),
    hint && h('div', { class: 'hint' }, hint),
    msg && h('div', { class: 'field-error', id: `${id}-error`, role: 'alert' }, msg),
  );
}

/** A labelled figure for the top of a page. */
export function Stat({ label, value, tone }) {
  return h('div', { class: `stat ${tone || ''}` }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, label));
}

/** A segmented control for the time range, written to the URL parameter "range". */
export function RangePicker({ value, onChange }) {
  return h(
    'div',
    { class: 'segmented', role: 'group', 'aria-label': 'Time range' },
    RANGES.map(([label]) =>
      h('button', { type: 'button', class: label === value ? 'on' : '', 'aria-pressed': label === value, onClick: () => onChange(label) }, label),
    ),
  );
}
