// The login page: shown instead of the shell while nobody is signed in; the route the user asked for stays in the URL
// and opens once they are in. Registration is offered only when the server's setting allows it.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { Field, h } from './lib.js';
import { endedBecause, options, register, signIn } from './session.js';

/** A login or registration failure as the user should read it. */
function problem(e) {
  if (!(e instanceof ApiError)) return String(e.message || e);
  if (e.status === 429) return `Too many attempts. Try again in ${e.retryAfter || 'a few'} seconds.`;
  if (e.status === 401) return 'Wrong username or password.';
  if (e.status === 0) return `LogFlow is not reachable: ${e.message}`;
  return e.message;
}

export default function Login() {
  const [mode, setMode] = useState('login'); // or 'register'
  const [registration, setRegistration] = useState('closed');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [fields, setFields] = useState({});
  const [notice, setNotice] = useState(endedBecause());
  useEffect(() => {
    options().then((o) => setRegistration(o.registration), () => {});
  }, []);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    setNotice(null);
    try {
      if (mode === 'register') {
        const created = await register(username.trim(), password);
        if (created.disabled) {
          setMode('login');
          setPassword('');
          setNotice(`Account ${created.username} created. ${created.message || 'An admin must enable it'}: you can sign in once they have.`);
          return;
        }
      }
      await signIn(username.trim(), password);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) setFields(err.fields);
      setError(problem(err));
    } finally {
      setBusy(false);
    }
  };
  const field = (name, label, value, set, type, autocomplete) =>
    h(Field, { name, label, errors: fields, id: `login-${name}` }, (id, described) =>
      h('input', { id, name, type, value, autocomplete, required: true, 'aria-invalid': !!described, 'aria-describedby': described, onInput: (e) => set(e.target.value) }),
    );
  const registering = mode === 'register';
  return h(
    'main',
    { class: 'login', id: 'main' },
    h(
      'form',
      { class: 'panel form', onSubmit: submit, 'aria-label': registering ? 'Create an account' : 'Sign in' },
      h('h1', null, 'LogFlow'),
      h('h2', null, registering ? 'Create an account' : 'Sign in'),
      notice && h('div', { class: 'notice', role: 'status' }, notice),
      field('username', 'Username', username, setUsername, 'text', 'username'),
      field('password', 'Password', password, setPassword, 'password', registering ? 'new-password' : 'current-password'),
      registering && h('div', { class: 'hint' }, '12 characters at least. New accounts are viewers; an admin can give more.'),
      error && h('div', { class: 'error', role: 'alert' }, error),
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'submit', class: 'primary', disabled: busy }, busy ? 'One moment…' : registering ? 'Create account' : 'Sign in'),
        registration !== 'closed' &&
          h(
            'a',
            {
              href: '#',
              onClick: (e) => {
                e.preventDefault();
                setMode(registering ? 'login' : 'register');
                setError(null);
                setFields({});
              },
            },
            registering ? 'I have an account' : 'Create an account',
          ),
      ),
      !registering && registration === 'closed' && h('p', { class: 'muted' }, 'No account? Ask a LogFlow admin for one.'),
    ),
  );
}
