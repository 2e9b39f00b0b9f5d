// What the runner knows about the iteration in progress and every sample recorded so far (shared by the k6/* shims).
export const state = {
  scenario: 'default',
  iterationInTest: 0,
  iterationInScenario: 0,
  scenarioStartTime: Date.now(),
  group: '',
  samples: [], // { metric, type, value, tags }
  metricTypes: new Map([
    ['checks', 'rate'],
    ['http_reqs', 'counter'],
    ['http_req_failed', 'rate'],
    ['http_req_duration', 'trend'],
    ['iterations', 'counter'],
  ]),
  sleepScale: 1,
};

export function addSample(metric, type, value, tags) {
  state.metricTypes.set(metric, type);
  state.samples.push({ metric, type, value: typeof value === 'boolean' ? (value ? 1 : 0) : Number(value), tags: { scenario: state.scenario, ...(state.group ? { group: state.group } : {}), ...(tags || {}) } });
}

// Blocks this thread for ms milliseconds (k6's sleep is synchronous too).
export function blockFor(ms) {
  if (ms > 0) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  }
}
