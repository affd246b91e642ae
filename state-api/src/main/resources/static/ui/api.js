// The one place where the UI talks to the server. Every fetch and every EventSource goes through here, so that
// credentials (the login of the users issue) are attached in one place and errors look the same everywhere.

/** How requests are authenticated: headers for fetch, query parameters for EventSource (which cannot send headers). */
const credentials = { headers: () => ({}), query: () => ({}) };

/** Installs how requests are authenticated (e.g. a bearer token after login). */
export function useCredentials({ headers, query }) {
  if (headers) credentials.headers = headers;
  if (query) credentials.query = query;
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

async function request(method, path, params, body) {
  const headers = { Accept: 'application/json', ...credentials.headers() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url(path, params), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { title: 'LogFlow is not reachable', detail: String(e.message || e) });
  }
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
export const del = (path) => request('DELETE', path);

/**
 * Server-Sent Events from path: on(type, data) for each event of the given types (data parsed as JSON), and
 * onState('open' | 'reconnecting'). The browser reconnects by itself and sends Last-Event-ID, which LogFlow's
 * streams resume from without a gap. Returns a function that closes the stream.
 */
export function stream(path, params, types, on, onState = () => {}) {
  const source = new EventSource(url(path, { ...params, ...credentials.query() }));
  source.onopen = () => onState('open');
  source.onerror = () => onState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  for (const type of types) {
    source.addEventListener(type, (e) => {
      let data = e.data;
      try {
        data = JSON.parse(e.data);
      } catch {
        // not JSON: handed on as text
      }
      on(type, data, e.lastEventId);
    });
  }
  return () => source.close();
}
