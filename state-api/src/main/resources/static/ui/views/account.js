// The signed-in user's own page: who they are, what their role allows, a new password, signing out.
import { useState } from 'preact/hooks';
import { ApiError, put } from '../api.js';
import { Field, h } from '../lib.js';
import { signIn, signOut, useUser } from '../session.js';

const ALLOWS = {
  viewer: 'read everything: logs, traces, services, alerts and rules',
  editor: 'read everything; create alert rules and change your own; acknowledge and resolve alerts',
  admin: 'everything: any rule, users and their roles, ingest tokens, rate limits, the answer cache',
};

function PasswordForm({ user }) {
  const [old, setOld] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [fields, setFields] = useState({});
  const [error, setError] = useState(null);
  const [done, setDone] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setFields({});
    setError(null);
    setDone(false);
    if (next !== again) {
      setFields({ again: 'does not match the new password' });
      return;
    }
    try {
      await put('/api/v1/auth/me', { old_password: old, new_password: next });
      // the change ended every session of this user, this one's refresh token too: sign in again with the new one
      await signIn(user.username, next);
      setOld('');
      setNext('');
      setAgain('');
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) setFields(err.fields);
      else setError(err.message);
    }
  };
  const field = (name, label, value, set, autocomplete) =>
    h(Field, { name, label, errors: fields, id: `pw-${name}` }, (id, described) =>
      h('input', { id, type: 'password', value, autocomplete, 'aria-invalid': !!described, 'aria-describedby': described, onInput: (e) => set(e.target.value) }),
    );
  return h(
    'form',
    { class: 'panel form', onSubmit: submit, 'aria-label': 'Change password' },
    h('h2', null, 'Change password'),
    field('old_password', 'Current password', old, setOld, 'current-password'),
    field('new_password', 'New password (12 characters at least)', next, setNext, 'new-password'),
    field('again', 'New password again', again, setAgain, 'new-password'),
    error && h('div', { class: 'error', role: 'alert' }, error),
    done && h('div', { class: 'notice', role: 'status' }, 'Password changed. Your other sessions end within minutes.'),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Change password')),
  );
}

export default function Account() {
  const user = useUser();
  if (!user) return null;
  return h(
    'section',
    { class: 'view account' },
    h('header', { class: 'view-head' }, h('h1', null, 'Your account')),
    h(
      'div',
      { class: 'panel' },
      h(
        'table',
        { class: 'props' },
        h(
          'tbody',
          null,
          h('tr', null, h('th', { scope: 'row' }, 'username'), h('td', { class: 'me-username' }, user.username)),
          h('tr', null, h('th', { scope: 'row' }, 'role'), h('td', null, h('span', { class: 'badge role' }, user.role), ` — ${ALLOWS[user.role] || ''}`)),
        ),
      ),
      h('div', { class: 'buttons' }, h('button', { type: 'button', onClick: () => signOut() }, 'Sign out')),
    ),
    h(PasswordForm, { user }),
  );
}
