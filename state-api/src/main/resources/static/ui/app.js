// The shell: navigation, light/dark theme, who is signed in, and the view of the current route (each view is its own
// module, loaded when first opened). Nobody signed in: the login page, with the route kept for afterwards.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { h } from './lib.js';
import Login from './login.js';
import { href, useRoute } from './route.js';
import { atLeast, signOut, useUser } from './session.js';

/** Every view: route name → [menu label or null, module]. */
const VIEWS = {
  overview: ['Overview', () => import('./views/overview.js')],
  logs: ['Logs', () => import('./views/logs.js')],
  traces: ['Traces', () => import('./views/traces.js')],
  trace: [null, () => import('./views/trace.js')],
  services: ['Service map', () => import('./views/services.js')],
  service: [null, () => import('./views/service.js')],
  alerts: ['Alerts', () => import('./views/alerts.js')],
  alert: [null, () => import('./views/alert.js')],
  rule: [null, () => import('./views/rule.js')],
  admin: [null, () => import('./views/admin.js')],
  account: [null, () => import('./views/account.js')],
};

/** The menu entry a view without one belongs to. */
const PARENT = { trace: 'traces', service: 'services', alert: 'alerts', rule: 'alerts' };

function Nav({ current: view, user }) {
  const current = PARENT[view] || view;
  return h(
    'nav',
    { class: 'nav', 'aria-label': 'Main' },
    h('a', { class: 'brand', href: href('overview') }, 'LogFlow'),
    Object.entries(VIEWS)
      .filter(([, [label]]) => label)
      .map(([name, [label]]) =>
        h('a', { href: href(name), class: name === current ? 'on' : '', 'aria-current': name === current ? 'page' : null }, label),
      ),
    atLeast(user, 'admin') && h('a', { href: href('admin'), class: view === 'admin' ? 'on' : '', 'aria-current': view === 'admin' ? 'page' : null }, 'Admin'),
    h('span', { class: 'spacer' }),
    h('a', { href: '/docs', target: '_blank', rel: 'noopener' }, 'API'),
    h(
      'a',
      { href: href('account'), class: `who${view === 'account' ? ' on' : ''}`, title: 'Your account' },
      user.username,
      h('span', { class: 'badge role' }, user.role),
    ),
    h('button', { type: 'button', class: 'signout', onClick: () => signOut() }, 'Sign out'),
    h(ThemeToggle),
  );
}

function ThemeToggle() {
  const [theme, setTheme] = useState(localStorage.getItem('logflow.theme') || 'auto');
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('logflow.theme', theme);
  }, [theme]);
  const next = { auto: 'dark', dark: 'light', light: 'auto' }[theme];
  return h('button', { type: 'button', class: 'theme', title: `Theme: ${theme} (click for ${next})`, onClick: () => setTheme(next) }, theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐');
}

function App() {
  const user = useUser();
  return user ? h(Shell, { user }) : h(Login);
}

function Shell({ user }) {
  const route = useRoute();
  // the loaded view and the route it was loaded for: a view never renders another view's route
  const [loaded, setLoaded] = useState({ name: null, view: null });
  const entry = VIEWS[route.view];
  const view = loaded.name === route.view ? loaded.view : null;
  useEffect(() => {
    let alive = true;
    if (!entry) return undefined;
    entry[1]().then((m) => alive && setLoaded({ name: route.view, view: m.default }));
    return () => {
      alive = false;
    };
  }, [route.view]);
  document.title = `LogFlow${entry ? ` · ${entry[0] || route.view}` : ''}`;
  return h(
    'div',
    { class: 'shell' },
    h(Nav, { current: route.view, user }),
    h(
      'main',
      { id: 'main' },
      !entry ? h('div', { class: 'error' }, `No view "${route.view}". `, h('a', { href: href('overview') }, 'Overview')) : view ? h(view, { route }) : h('p', { class: 'loading' }, 'Loading…'),
    ),
  );
}

document.documentElement.dataset.theme = localStorage.getItem('logflow.theme') || 'auto'; // the login page too
const root = document.getElementById('app');
root.textContent = ''; // the "Loading LogFlow…" placeholder
render(h(App), root);
