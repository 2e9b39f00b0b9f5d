// k6/http: synchronous requests (through http-worker.mjs), k6's response shape and built-in HTTP metrics.
import { Worker } from 'node:worker_threads';
import { addSample } from '../state.mjs';

const worker = new Worker(new URL('../http-worker.mjs', import.meta.url));
worker.unref();
const data = new SharedArrayBuffer(16 * 1024 * 1024);

// k6 canonicalises header names: content-type -> Content-Type.
function canonical(name) {
  return name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase()).join('-');
}

function encodeBody(body, headers) {
  if (body === undefined || body === null) {
    return null;
  }
  if (typeof body === 'string') {
    return body;
  }
  if (typeof body === 'object') {
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    return new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])).toString();
  }
  return String(body);
}

export function request(method, url, body, params) {
  const headers = { ...((params && params.headers) || {}) };
  const encoded = encodeBody(body, headers);
  const signal = new SharedArrayBuffer(4);
  worker.postMessage({ request: { method, url: String(url), headers, body: encoded, timeoutMs: 60_000 }, signal, data });
  const flag = new Int32Array(signal);
  while (Atomics.load(flag, 0) === 0) {
    Atomics.wait(flag, 0, 0, 1000);
  }
  const length = new DataView(data).getUint32(0);
  const answer = JSON.parse(new TextDecoder().decode(new Uint8Array(data).slice(4, 4 + length)));
  const responseHeaders = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    responseHeaders[canonical(name)] = value;
  }
  const tags = { method, url: String(url), name: String(url), status: String(answer.status), ...((params && params.tags) || {}) };
  addSample('http_reqs', 'counter', 1, tags);
  addSample('http_req_duration', 'trend', answer.durationMs, tags);
  addSample('http_req_failed', 'rate', answer.status === 0 || answer.status >= 400, tags);
  if (answer.error) {
    console.error(`request ${method} ${url} failed: ${answer.error}`);
  }
  return {
    status: answer.status,
    status_text: String(answer.status),
    body: answer.body,
    headers: responseHeaders,
    url: answer.url,
    error: answer.error,
    error_code: answer.error ? 1000 : 0,
    timings: { duration: answer.durationMs, waiting: answer.durationMs },
    request: { method, url: String(url), headers, body: encoded },
    json(selector) {
      const parsed = JSON.parse(answer.body);
      return selector ? selector.split('.').reduce((value, key) => (value == null ? undefined : value[key]), parsed) : parsed;
    },
  };
}

export const get = (url, params) => request('GET', url, null, params);
export const post = (url, body, params) => request('POST', url, body, params);
export const put = (url, body, params) => request('PUT', url, body, params);
export const patch = (url, body, params) => request('PATCH', url, body, params);
export const del = (url, body, params) => request('DELETE', url, body, params);
export const head = (url, params) => request('HEAD', url, null, params);

export default { request, get, post, put, patch, del, head };
