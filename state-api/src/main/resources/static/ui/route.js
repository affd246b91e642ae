// Every view's state lives in the URL (#/view/id?param=value), so a link pasted in Slack opens the same view.
import { useEffect, useState } from 'preact/hooks';

/** The current route: {view, id, params}. "#/trace/abc?span=1" → {view: 'trace', id: 'abc', params: {span: '1'}}. */
export function parse(hash = location.hash) {
  const raw = hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?', 2);
  const [view = '', ...rest] = path.split('/');
  return {
    view: decodeURIComponent(view) || 'overview',
    id: rest.length ? rest.map(decodeURIComponent).join('/') : null,
    params: Object.fromEntries(new URLSearchParams(query)),
  };
}

/** The hash of a route; parameters without a value are left out. */
export function href(view, id = null, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return `#/${encodeURIComponent(view)}${id ? `/${encodeURIComponent(id)}` : ''}${s ? `?${s}` : ''}`;
}

/** Goes to a route. With replace, the browser's history keeps one entry (for typing in a query bar, say). */
export function go(view, id = null, params = {}, replace = false) {
  const h = href(view, id, params);
  if (replace) history.replaceState(null, '', h);
  else history.pushState(null, '', h);
  window.dispatchEvent(new Event('logflow:route'));
}

/** Changes some parameters of the current route, keeping the rest. */
export function setParams(changes, replace = true) {
  const r = parse();
  go(r.view, r.id, { ...r.params, ...changes }, replace);
}

/** The current route, re-rendered when it changes (links, back/forward, go()). */
export function useRoute() {
  const [route, setRoute] = useState(parse());
  useEffect(() => {
    const update = () => setRoute(parse());
    window.addEventListener('hashchange', update);
    window.addEventListener('popstate', update);
    window.addEventListener('logflow:route', update);
    return () => {
      window.removeEventListener('hashchange', update);
      window.removeEventListener('popstate', update);
      window.removeEventListener('logflow:route', update);
    };
  }, []);
  return route;
}
