// Who is signed in (ADR 027). The access token (a JWT valid minutes) and the refresh token live in localStorage, so
// every tab of the browser shares one sign-in: a link opened in a new tab needs no second login, and signing out in
// one tab signs out all of them (the "storage" event). A refresh token is used once (the server revokes a family
// whose token is used twice), so tabs refresh one at a time: under a Web Lock where the browser offers one (https or
// localhost), and in any case a tab first takes a token another tab just refreshed.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, useCredentials } from './api.js';

const KEY = 'logflow.session';
/** An access token this close to its expiry is refreshed before use. */
const MARGIN_MS = 30_000;

/** {access, expires (epoch ms), refresh, user: {id, username, role}} or null. */
function stored() {
  try {
    const s = JSON.parse(localStorage.getItem(KEY));
    return s && s.access && s.refresh ? s : null;
  } catch {
    return null;
  }
}

const listeners = new Set();
/** Why the last session ended when it did not end by signing out (shown on the login page). */
let ended = null;

function save(s) {
  if (s) localStorage.setItem(KEY, JSON.stringify(s));
  else localStorage.removeItem(KEY);
  listeners.forEach((f) => f());
}

// another tab signed in, refreshed or signed out
window.addEventListener('storage', (e) => {
  if (e.key === KEY || e.key === null) listeners.forEach((f) => f());
});

/** The session from a token answer of login or refresh. */
function fromTokens(r, user) {
  return { access: r.access_token, expires: Date.now() + r.expires_in * 1000, refresh: r.refresh_token, user };
}

/** A request without credentials (login, refresh, logout, register): the answer's JSON, or an ApiError. */
const anonymous = (method, path, body) => call(method, path, body);

const me = (access) => call('GET', '/api/v1/auth/me', undefined, access);

/** Runs fn with no other tab of this browser inside the same section (where Web Locks exist). */
function exclusive(fn) {
  return navigator.locks ? navigator.locks.request('logflow.refresh', fn) : fn();
}

let refreshing = null;

/**
 * A fresh access token. With failed, the token the server just refused (a signing key retired, a role changed): a new
 * one is fetched even if it looks unexpired, unless another tab has already replaced it. Signed out (and throws a 401)
 * when the refresh token is refused.
 */
function refresh(failed = null) {
  refreshing ||= exclusive(async () => {
    const s = stored();
    if (!s) throw new ApiError(401, { detail: 'signed out' });
    if (s.access !== failed && s.expires - Date.now() > MARGIN_MS) return s.access; // another tab refreshed
    try {
      const r = await anonymous('POST', '/api/v1/auth/refresh', { refresh_token: s.refresh });
      // the role may have changed since the last refresh: the user is asked again
      const user = await me(r.access_token).catch(() => s.user);
      save(fromTokens(r, user));
      return r.access_token;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        ended = 'Your session has ended (it expired, was signed out elsewhere, or your password changed). Sign in again.';
        save(null);
      }
      throw e;
    }
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** The access token to send now (refreshed when it is about to expire). */
async function token() {
  const s = stored();
  if (!s) throw new ApiError(401, { detail: 'signed out' });
  if (s.expires - Date.now() > MARGIN_MS) return s.access;
  return refresh();
}

useCredentials({ token, refresh });

/** Logs in; the user. Errors are the server's (401 wrong credentials, 429 too many tries, 400 fields). */
export async function signIn(username, password) {
  const r = await anonymous('POST', '/api/v1/auth/login', { username, password });
  const user = await me(r.access_token);
  ended = null;
  save(fromTokens(r, user));
  return user;
}

/** Signs out every tab: the refresh token's family is revoked on the server (best effort), then forgotten here. */
export async function signOut() {
  const s = stored();
  ended = null;
  save(null);
  if (s) await anonymous('POST', '/api/v1/auth/logout', { refresh_token: s.refresh }).catch(() => {});
}

/** Registers (as the server's registration setting allows); the created user. */
export function register(username, password) {
  return anonymous('POST', '/api/v1/auth/register', { username, password });
}

/** What the login page may offer: {registration: 'open' | 'closed' | 'approval'}. */
export function options() {
  return anonymous('GET', '/api/v1/auth/options');
}

/** Why the last session ended, if it did not end by signing out. */
export function endedBecause() {
  return ended;
}

const RANK = { viewer: 1, editor: 2, admin: 3 };

/** True when user has at least role. */
export function atLeast(user, role) {
  return !!user && (RANK[user.role] || 0) >= RANK[role];
}

/**
 * True when user may change rule: an admin any rule, an editor its own (the server decides the same, ADR 027; the UI
 * only leaves out controls that would be refused).
 */
export function mayEdit(user, rule) {
  if (atLeast(user, 'admin')) return true;
  return atLeast(user, 'editor') && (!rule || (!!rule.owner && rule.owner === user.username));
}

/** The signed-in user ({id, username, role}) or null, re-rendered when it changes in this tab or another. */
export function useUser() {
  const [user, setUser] = useState(() => stored()?.user || null);
  useEffect(() => {
    const update = () => setUser(stored()?.user || null);
    listeners.add(update);
    return () => listeners.delete(update);
  }, []);
  return user;
}
