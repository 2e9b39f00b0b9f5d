// The mixed run: people log in at a steady rate (browser headers, their own address and account, think time) while a
// credential-stuffing attack runs (python-requests, a handful of addresses, a new account each time). Thresholds:
// collateral damage (people's checks >= 99%: every person answered by the SampleApi) and the attack (>= 95% refused
// by the gateway once the first WARMUP seconds, default 60, are over).
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e BASE_URL_2=http://127.0.0.1:8082 load-tests/k6/mixed.ts
import http from 'k6/http';
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Rate } from 'k6/metrics';
import { Options } from 'k6/options';
import { BASE_URL, BROWSER_HEADERS, THINK_SECONDS, clientAddress, problemType, runId } from './common.ts';

const refused = new Rate('refused_by_gateway');
// Both gateways of the compose file when BASE_URL_2 is set: the attack and the people are spread over them.
const GATEWAYS = [BASE_URL, __ENV.BASE_URL_2 || BASE_URL];
const WARMUP_MS = Number(__ENV.WARMUP || 60) * 1000;
const ATTACKERS = ['45.10.20.30', '45.10.20.31', '45.10.20.32', '91.200.12.7', '91.200.12.8'];

export const options: Options = {
  scenarios: {
    people: {
      executor: 'constant-arrival-rate', exec: 'person',
      rate: Number(__ENV.PEOPLE_RATE || 5), timeUnit: '1s', duration: __ENV.DURATION || '3m', preAllocatedVUs: 20, maxVUs: 100,
    },
    attack: {
      executor: 'constant-arrival-rate', exec: 'attack',
      rate: Number(__ENV.ATTACK_RATE || 50), timeUnit: '1s', duration: __ENV.DURATION || '3m', preAllocatedVUs: 20, maxVUs: 100,
    },
  },
  thresholds: {
    'checks{scenario:people}': ['rate>=0.99'],
    'refused_by_gateway{scenario:attack,phase:steady}': ['rate>=0.95'],
  },
};

export function person(): void {
  const n = 4_000_000 + exec.scenario.iterationInTest;
  sleep(THINK_SECONDS);
  const response = http.post(`${GATEWAYS[n % 2]}/api/auth/login`, JSON.stringify({ username: `member${n}`, password: 'my-own-password' }), {
    headers: { ...BROWSER_HEADERS, 'X-Forwarded-For': clientAddress(n) },
    tags: { endpoint: 'login', client: 'person' },
  });
  check(response, { 'a person is answered by the upstream (200 or 401)': (r) => (r.status === 200 || r.status === 401) && problemType(r) === '' });
}

export function attack(): void {
  const n = exec.scenario.iterationInTest;
  const response = http.post(`${GATEWAYS[n % 2]}/api/auth/login`, JSON.stringify({ username: `victim${n}-${runId()}@example.org`, password: 'Summer2024!' }), {
    headers: { 'User-Agent': 'python-requests/2.32.3', Accept: '*/*', 'Content-Type': 'application/json', 'X-Forwarded-For': ATTACKERS[n % ATTACKERS.length] },
    tags: { endpoint: 'login', client: 'attack' },
  });
  const steady = Date.now() - exec.scenario.startTime >= WARMUP_MS;
  refused.add(problemType(response).startsWith('urn:fraudgateway:problem:'), { phase: steady ? 'steady' : 'warmup' });
}
