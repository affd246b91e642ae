// Create or edit an alert rule: every field the API takes, and the API's own validation messages shown by the field.
import { ApiError, del, get, post, put } from '../api.js';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNote, Field, h } from '../lib.js';
import { go, href } from '../route.js';
import { atLeast, mayEdit, useUser } from '../session.js';

const METRICS = ['log_count', 'error_count', 'error_rate', 'log_match_count', 'latency_p95', 'latency_p99', 'span_error_rate', 'no_data'];
const CONDITIONS = ['greater_than', 'greater_than_or_equal', 'less_than', 'less_than_or_equal', 'equals'];
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const EMPTY = {
  name: '',
  description: '',
  metric: 'error_count',
  condition: 'greater_than',
  threshold: 10,
  time_window: 5,
  services: [],
  levels: [],
  message_pattern: null,
  severity: 'warning',
  notification_channel: 'console',
  notification_config: {},
  is_active: true,
};

/** The body the API takes, from the form's values. */
function body(f) {
  const list = (s) => (Array.isArray(s) ? s : String(s || '').split(',').map((x) => x.trim()).filter(Boolean));
  return {
    name: f.name,
    description: f.description,
    metric: f.metric,
    condition: f.metric === 'no_data' ? null : f.condition,
    threshold: f.metric === 'no_data' || f.threshold === '' ? null : Number(f.threshold),
    time_window: Number(f.time_window),
    services: list(f.services),
    levels: f.levels,
    message_pattern: f.message_pattern ? f.message_pattern : null,
    severity: f.severity,
    notification_channel: f.notification_channel,
    notification_config: f.notification_channel === 'console' ? {} : { ...f.notification_config, url: f.notification_config?.url || '' },
    is_active: f.is_active,
  };
}

export default function Rule({ route }) {
  const user = useUser();
  const id = route.id === 'new' ? null : route.id;
  const [form, setForm] = useState(id ? null : EMPTY);
  const [errors, setErrors] = useState({});
  const [error, setError] = useState(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (id) get(`/api/v1/alerts/rules/${encodeURIComponent(id)}`).then((r) => setForm({ ...r, notification_config: r.notification_config || {} }), setError);
  }, [id]);
  // the server refuses what the user may not do (ADR 027); the form says so before they try
  const readOnly = form ? (id ? !mayEdit(user, form) : !atLeast(user, 'editor')) : false;
  const title = readOnly ? 'Rule' : id ? 'Edit rule' : 'New rule';
  const head = h('header', { class: 'view-head' }, h('h1', null, h('a', { href: href('alerts') }, 'Alerts'), ' / ', title));
  if (!form) return h('section', { class: 'view' }, head, h(ErrorNote, { error }), !error && h('p', { class: 'loading' }, 'Loading…'));
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  const save = async (e) => {
    e.preventDefault();
    setSaving(true);
    setErrors({});
    setError(null);
    try {
      const saved = id ? await put(`/api/v1/alerts/rules/${encodeURIComponent(id)}`, body(form)) : await post('/api/v1/alerts/rules', body(form));
      go('alerts', null, { status: 'firing', saved: saved.id });
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) setErrors(err.fields);
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  const remove = async () => {
    if (!confirm(`Delete the rule "${form.name}"?`)) return;
    try {
      await del(`/api/v1/alerts/rules/${encodeURIComponent(id)}`);
      go('alerts');
    } catch (err) {
      setError(err);
    }
  };
  const input = (k, type = 'text', extra = {}) => (fid, described) => h('input', { id: fid, type, value: form[k] ?? '', onInput: set(k), 'aria-invalid': !!errors[k], 'aria-describedby': described, ...extra });
  const select = (k, options) => (fid, described) => h('select', { id: fid, value: form[k], onChange: set(k), 'aria-describedby': described }, options.map((o) => h('option', { value: o }, o)));
  const spanMetric = ['latency_p95', 'latency_p99', 'span_error_rate', 'no_data'].includes(form.metric);
  return h(
    'section',
    { class: 'view rule' },
    head,
    h(
      'form',
      { class: 'panel form', onSubmit: save, noValidate: true },
      readOnly &&
        h(
          'div',
          { class: 'notice read-only', role: 'status' },
          !atLeast(user, 'editor')
            ? `You are a ${user?.role || 'viewer'}: you may read this rule; an editor or an admin may change it.`
            : `Only the rule's owner (${form.owner || 'none: an admin'}) or an admin may change it.`,
        ),
      h(
        'fieldset',
        { class: 'plain', disabled: readOnly },
        h(Field, { name: 'name', label: 'Name', errors }, input('name')),
        h(Field, { name: 'description', label: 'Description', errors }, input('description')),
        h(
          'div',
          { class: 'row' },
          h(Field, { name: 'metric', label: 'Metric', errors }, select('metric', METRICS)),
          form.metric !== 'no_data' && h(Field, { name: 'condition', label: 'Condition', errors }, select('condition', CONDITIONS)),
          form.metric !== 'no_data' &&
            h(Field, { name: 'threshold', label: 'Threshold', errors, hint: form.metric.endsWith('rate') ? 'a fraction: 0.05 = 5 %' : form.metric.startsWith('latency') ? 'milliseconds' : null }, input('threshold', 'number', { step: 'any' })),
          h(Field, { name: 'time_window', label: 'Window (minutes)', errors }, input('time_window', 'number', { min: 1, max: 1440 })),
      ),
      h(Field, { name: 'services', label: 'Services', errors, hint: 'comma separated; empty = every service, each alerting on its own' }, (fid, d) =>
        h('input', { id: fid, value: Array.isArray(form.services) ? form.services.join(', ') : form.services, onInput: set('services'), 'aria-describedby': d }),
      ),
      !spanMetric &&
        h(Field, { name: 'levels', label: 'Levels', errors, hint: 'none = all levels' }, (fid) =>
          h(
            'div',
            { id: fid, class: 'checks' },
            LEVELS.map((l) =>
              h(
                'label',
                { key: l },
                h('input', { type: 'checkbox', checked: form.levels.includes(l), onChange: (e) => setForm({ ...form, levels: e.target.checked ? [...form.levels, l] : form.levels.filter((x) => x !== l) }) }),
                ` ${l}`,
              ),
            ),
          ),
        ),
      !spanMetric && h(Field, { name: 'message_pattern', label: 'Message pattern', errors, hint: 'text (any case), or /regex/ or /regex/i' }, input('message_pattern')),
      h(
        'div',
        { class: 'row' },
        h(Field, { name: 'severity', label: 'Severity', errors }, select('severity', ['info', 'warning', 'critical'])),
        h(Field, { name: 'notification_channel', label: 'Notify by', errors }, select('notification_channel', ['console', 'webhook', 'slack'])),
        form.notification_channel !== 'console' &&
          h(Field, { name: 'notification_config.url', label: 'URL', errors }, (fid, d) =>
            h('input', { id: fid, type: 'url', value: form.notification_config?.url || '', onInput: (e) => setForm({ ...form, notification_config: { ...form.notification_config, url: e.target.value } }), 'aria-describedby': d }),
          ),
      ),
      h(Field, { name: 'is_active', label: 'Active', errors }, (fid) => h('input', { id: fid, type: 'checkbox', checked: form.is_active, onChange: set('is_active') })),
      ),
      error && !(error instanceof ApiError && error.status === 400) ? h(ErrorNote, { error }) : null,
      Object.keys(errors).length ? h('div', { class: 'error', role: 'alert' }, 'The rule was not saved: see the fields marked.') : null,
      h(
        'div',
        { class: 'buttons' },
        !readOnly && h('button', { type: 'submit', class: 'primary', disabled: saving }, saving ? 'Saving…' : id ? 'Save' : 'Create rule'),
        h('a', { href: href('alerts') }, readOnly ? 'Back to alerts' : 'Cancel'),
        id && !readOnly && h('button', { type: 'button', class: 'danger', onClick: remove }, 'Delete'),
      ),
    ),
  );
}
