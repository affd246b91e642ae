// Admin: the users (roles, enabling an approved registration, disabling, new accounts) and the ingest tokens services
// send their logs and spans with (a new token is shown once, with the line an OpenTelemetry agent needs).
import { useState } from 'preact/hooks';
import { ApiError, del, get, patch, post } from '../api.js';
import { ErrorNote, Field, fmtTime, h, usePoll } from '../lib.js';
import { atLeast, useUser } from '../session.js';

const ROLES = ['viewer', 'editor', 'admin'];

function Users({ me }) {
  const [tick, setTick] = useState(0);
  const { data, error } = usePoll(() => get('/api/v1/auth/users'), [tick], 30000);
  const [problem, setProblem] = useState(null);
  const change = async (u, body) => {
    setProblem(null);
    try {
      await patch(`/api/v1/auth/users/${encodeURIComponent(u.id)}`, body);
      setTick((t) => t + 1);
    } catch (e) {
      setProblem(`${u.username}: ${e.message}`);
      setTick((t) => t + 1); // the select shows the stored role again
    }
  };
  const users = data?.users || [];
  return h(
    'div',
    { class: 'panel' },
    h('div', { class: 'toolbar' }, h('h2', null, `Users${data ? ` (${data.count})` : ''}`)),
    h(ErrorNote, { error }),
    problem && h('div', { class: 'error', role: 'alert' }, problem),
    !data
      ? h('p', { class: 'loading' }, 'Loading…')
      : h(
          'table',
          { class: 'grid users' },
          h('thead', null, h('tr', null, ['user', 'role', 'status', 'created', ''].map((c) => h('th', { scope: 'col' }, c)))),
          h(
            'tbody',
            null,
            users.map((u) =>
              h(
                'tr',
                { key: u.id, 'data-user': u.username, class: u.disabled ? 'muted' : '' },
                h('td', null, u.username, u.id === me.id ? h('span', { class: 'muted' }, ' (you)') : null),
                h(
                  'td',
                  null,
                  h(
                    'select',
                    { 'aria-label': `Role of ${u.username}`, value: u.role, onChange: (e) => change(u, { role: e.target.value }) },
                    ROLES.map((r) => h('option', { value: r }, r)),
                  ),
                ),
                h('td', null, h('span', { class: `badge ${u.disabled ? 'inactive' : 'ok'}` }, u.disabled ? 'disabled' : 'enabled')),
                h('td', { class: 'nowrap' }, fmtTime(u.created_at, true)),
                h(
                  'td',
                  null,
                  h('button', { type: 'button', onClick: () => change(u, { disabled: !u.disabled }) }, u.disabled ? 'Enable' : 'Disable'),
                ),
              ),
            ),
          ),
        ),
    h(NewUser, { onCreated: () => setTick((t) => t + 1) }),
  );
}

function NewUser({ onCreated }) {
  const [form, setForm] = useState({ username: '', password: '', role: 'viewer' });
  const [fields, setFields] = useState({});
  const [error, setError] = useState(null);
  const [created, setCreated] = useState(null);
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.value });
  const submit = async (e) => {
    e.preventDefault();
    setFields({});
    setError(null);
    setCreated(null);
    try {
      const u = await post('/api/v1/auth/users', { ...form, username: form.username.trim() });
      setCreated(u);
      setForm({ username: '', password: '', role: form.role });
      onCreated();
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) setFields(err.fields);
      else setError(err.message);
    }
  };
  const field = (name, label, control) => h(Field, { name, label, errors: fields, id: `nu-${name}` }, control);
  return h(
    'form',
    { class: 'form', onSubmit: submit, 'aria-label': 'New user' },
    h('h3', null, 'New user'),
    h(
      'div',
      { class: 'row' },
      field('username', 'Username', (id, d) => h('input', { id, value: form.username, autocomplete: 'off', 'aria-describedby': d, onInput: set('username') })),
      field('password', 'Password (12 characters at least)', (id, d) =>
        h('input', { id, type: 'password', value: form.password, autocomplete: 'new-password', 'aria-describedby': d, onInput: set('password') }),
      ),
      field('role', 'Role', (id, d) => h('select', { id, value: form.role, 'aria-describedby': d, onChange: set('role') }, ROLES.map((r) => h('option', { value: r }, r)))),
    ),
    error && h('div', { class: 'error', role: 'alert' }, error),
    created && h('div', { class: 'notice', role: 'status' }, `${created.username} can sign in now, as ${created.role}.`),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Create user')),
  );
}

function Tokens() {
  const [tick, setTick] = useState(0);
  const { data, error } = usePoll(() => get('/api/v1/auth/tokens'), [tick], 30000);
  const [name, setName] = useState('');
  const [fields, setFields] = useState({});
  const [problem, setProblem] = useState(null);
  const [issued, setIssued] = useState(null);
  const create = async (e) => {
    e.preventDefault();
    setFields({});
    setProblem(null);
    try {
      setIssued(await post('/api/v1/auth/tokens', { name: name.trim() }));
      setName('');
      setTick((t) => t + 1);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) setFields(err.fields);
      else setProblem(err.message);
    }
  };
  const revoke = async (t) => {
    if (!confirm(`Revoke the ingest token "${t.name}"? Services sending it are refused from then on.`)) return;
    setProblem(null);
    try {
      await del(`/api/v1/auth/tokens/${encodeURIComponent(t.id)}`);
      setTick((x) => x + 1);
    } catch (err) {
      setProblem(err.message);
    }
  };
  const tokens = data?.tokens || [];
  return h(
    'div',
    { class: 'panel' },
    h('div', { class: 'toolbar' }, h('h2', null, 'Ingest tokens')),
    h('p', { class: 'muted' }, 'Services and OpenTelemetry agents send their logs and spans with one of these (Authorization: Bearer …).'),
    h(ErrorNote, { error }),
    problem && h('div', { class: 'error', role: 'alert' }, problem),
    issued &&
      h(
        'div',
        { class: 'notice issued', role: 'status' },
        h('p', null, h('strong', null, `The token "${issued.name}": copy it now, it is not shown again.`)),
        h('pre', { class: 'mono token' }, issued.token),
        h('p', null, 'For an OpenTelemetry agent:'),
        h('pre', { class: 'mono' }, `export OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20${issued.token}`),
        h('button', { type: 'button', onClick: () => navigator.clipboard?.writeText(issued.token) }, 'Copy token'),
        ' ',
        h('button', { type: 'button', onClick: () => setIssued(null) }, 'Done'),
      ),
    !data
      ? h('p', { class: 'loading' }, 'Loading…')
      : tokens.length === 0
        ? h('p', { class: 'muted' }, 'No ingest tokens yet.')
        : h(
            'table',
            { class: 'grid tokens' },
            h('thead', null, h('tr', null, ['name', 'created by', 'created', 'last used', 'status', ''].map((c) => h('th', { scope: 'col' }, c)))),
            h(
              'tbody',
              null,
              tokens.map((t) =>
                h(
                  'tr',
                  { key: t.id, 'data-token': t.name, class: t.revoked ? 'muted' : '' },
                  h('td', null, t.name),
                  h('td', null, t.created_by_username || '–'),
                  h('td', { class: 'nowrap' }, fmtTime(t.created_at, true)),
                  h('td', { class: 'nowrap' }, t.last_used_at ? fmtTime(t.last_used_at, true) : 'never'),
                  h('td', null, h('span', { class: `badge ${t.revoked ? 'inactive' : 'ok'}` }, t.revoked ? 'revoked' : 'active')),
                  h('td', null, !t.revoked && h('button', { type: 'button', class: 'danger', onClick: () => revoke(t) }, 'Revoke')),
                ),
              ),
            ),
          ),
    h(
      'form',
      { class: 'form', onSubmit: create, 'aria-label': 'New ingest token' },
      h(Field, { name: 'name', label: 'New token for', errors: fields, id: 'token-name' }, (id, d) =>
        h('input', { id, value: name, placeholder: 'e.g. checkout-prod', 'aria-describedby': d, onInput: (e) => setName(e.target.value) }),
      ),
      h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Create token')),
    ),
  );
}

function Cache() {
  const [answer, setAnswer] = useState(null);
  const clear = async () => {
    try {
      const r = await del('/api/v1/cache/clear');
      setAnswer(`Cleared${r && r.deleted !== undefined ? `: ${r.deleted} answers` : ''}.`);
    } catch (e) {
      setAnswer(e.message);
    }
  };
  return h(
    'div',
    { class: 'panel' },
    h('div', { class: 'toolbar' }, h('h2', null, 'Answer cache'), h('button', { type: 'button', onClick: clear }, 'Clear')),
    h('p', { class: 'muted' }, 'Answers of finished time windows are kept in Redis; clearing makes every instance compute them again.'),
    answer && h('p', { role: 'status' }, answer),
  );
}

export default function Admin() {
  const me = useUser();
  if (!atLeast(me, 'admin'))
    return h('section', { class: 'view' }, h('header', { class: 'view-head' }, h('h1', null, 'Admin')), h('div', { class: 'error', role: 'alert' }, 'Only an admin may open this page.'));
  return h('section', { class: 'view admin' }, h('header', { class: 'view-head' }, h('h1', null, 'Admin')), h(Users, { me }), h(Tokens), h(Cache));
}
