// The one place where the UI talks to the server. Every fetch and every EventSource goes through here, so that
// credentials (session.js installs them after login) are attached in one place and errors look the same everywhere.

/** How requests are authenticated: token() the access token to send; refresh(failed) a new one after a 401. */
const credentials = { token: async () => null, refresh: async () => null };

/** Installs how requests are authenticated (session.js). */
export function useCredentials({ token, refresh }) {
  credentials.token = token;
  credentials.refresh = refresh;
}

/** An answer that was not 2xx: the status, the problem+json body when there is one, and the bad fields by name. */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.retryAfter = retryAfter;
  }

  /** The parameter or field the server named as wrong, with its message: {name: message}. */
  get fields() {
    const out = {};
    if (this.problem.parameter) out[this.problem.parameter] = this.problem.detail;
    for (const e of this.problem.errors || []) out[e.field] = e.message;
    return out;
  }
}

/** A URL for path with the parameters that have a value (null, undefined and "" are left out). */
export function url(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

async function send(method, path, params, body, token) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(url(path, params), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { title: 'LogFlow is not reachable', detail: String(e.message || e) });
  }
}

/** With the session's credentials, or (as) a given access token, or none (token null). */
async function request(method, path, params, body, as = undefined) {
  const token = as === undefined ? await credentials.token() : as;
  let res = await send(method, path, params, body, token);
  // refused although unexpired (a signing key retired, the user's role changed): once more with a fresh token
  if (res.status === 401 && token && as === undefined) res = await send(method, path, params, body, await credentials.refresh(token));
  const text = await res.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) throw new ApiError(res.status, json, res.headers.get('Retry-After'));
  return json;
}

export const get = (path, params) => request('GET', path, params);
export const post = (path, body, params) => request('POST', path, params, body);
export const put = (path, body) => request('PUT', path, undefined, body);
export const patch = (path, body) => request('PATCH', path, undefined, body);
export const del = (path) => request('DELETE', path);
/** Without credentials (login, refresh, logout, register, options), or as the access token given. */
export const call = (method, path, body, as = null) => request(method, path, undefined, body, as);

/** The longest wait between two attempts to reopen a stream. */
const MAX_RETRY_MS = 15_000;

/**
 * Server-Sent Events from path: on(type, data, id) for each event of the given types (data parsed as JSON), and
 * onState('connecting' | 'open' | 'reconnecting' | 'closed'). An EventSource cannot send headers, so each connection
 * opens with a fresh 60-second stream ticket (ADR 027) in the URL; after a drop it is reopened here (not by the
 * browser, whose retry would reuse an expired ticket) with a new ticket and last_event_id, which LogFlow's streams
 * resume from without a gap. params.last_event_id, when given, is where the first connection starts. Returns a
 * function that closes the stream.
 */
export function stream(path, params, types, on, onState = () => {}) {
  let lastId = params.last_event_id || null;
  let source = null;
  let timer = null;
  let closed = false;
  let wait = 1000;
  const retry = () => {
    if (closed) return;
    onState('reconnecting');
    timer = setTimeout(open, wait);
    wait = Math.min(wait * 2, MAX_RETRY_MS);
  };
  const open = async () => {
    let ticket;
    try {
      ticket = (await post('/api/v1/auth/stream-ticket', {})).ticket;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        if (!closed) onState('closed'); // signed out: the login page takes over
        return;
      }
      retry();
      return;
    }
    if (closed) return;
    source = new EventSource(url(path, { ...params, last_event_id: lastId, ticket }));
    source.onopen = () => {
      wait = 1000;
      onState('open');
    };
    source.onerror = () => {
      source.close();
      retry();
    };
    for (const type of types) {
      source.addEventListener(type, (e) => {
        if (e.lastEventId) lastId = e.lastEventId;
        let data = e.data;
        try {
          data = JSON.parse(e.data);
        } catch {
          // not JSON: handed on as text
        }
        on(type, data, e.lastEventId);
      });
    }
  };
  onState('connecting');
  open();
  return () => {
    closed = true;
    clearTimeout(timer);
    if (source) source.close();
  };
}
