// The k6 compatibility runner's network thread: k6/http is synchronous, Node's fetch is not, so the runner's main
// thread posts each request here and blocks (Atomics.wait) until this thread has written the answer into shared
// memory. One request at a time, like one k6 VU.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', async ({ request, signal, data }) => {
  const flag = new Int32Array(signal);
  const bytes = new Uint8Array(data);
  let answer;
  const started = performance.now();
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body === null ? undefined : request.body,
      redirect: 'follow',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const body = await response.text();
    const headers = {};
    response.headers.forEach((value, name) => {
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    });
    answer = { status: response.status, headers, body, url: response.url, durationMs: performance.now() - started, error: '' };
  } catch (error) {
    answer = { status: 0, headers: {}, body: null, url: request.url, durationMs: performance.now() - started, error: String(error && error.message || error) };
  }

  let encoded = new TextEncoder().encode(JSON.stringify(answer));
  if (encoded.length > bytes.length - 4) {
    encoded = new TextEncoder().encode(JSON.stringify({ ...answer, body: null, error: `response larger than ${bytes.length - 4} bytes` }));
  }

  new DataView(data).setUint32(0, encoded.length);
  bytes.set(encoded, 4);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
