// A credential-stuffing script: a python-requests client from a handful of addresses trying a new account on every
// request. The gateway must refuse almost all of it (risk model 403 risk-too-high, then rate limits 429
// quota-exceeded), with problem+json and a stable type; the run fails when more than 5% reaches the upstream.
//   k6 run -e BASE_URL=http://127.0.0.1:5000 load-tests/k6/credential-stuffing.ts
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { Rate } from 'k6/metrics';
import { Options } from 'k6/options';
import { BASE_URL, runId } from './common.ts';

const refused = new Rate('refused_by_gateway');

export const options: Options = {
  scenarios: {
    stuffing: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE || 20),
      timeUnit: '1s',
      duration: __ENV.DURATION || '30s',
      preAllocatedVUs: 10,
      maxVUs: 50,
    },
  },
  thresholds: {
    refused_by_gateway: ['rate>0.95'],
    checks: ['rate>0.99'],
  },
};

const ATTACKER_ADDRESSES = ['45.10.20.30', '45.10.20.31', '45.10.20.32', '91.200.12.7', '91.200.12.8'];

export default function (): void {
  const n = exec.scenario.iterationInTest;
  const response = http.post(`${BASE_URL}/api/auth/login`, JSON.stringify({ username: `victim${n}-${runId()}@example.org`, password: 'Summer2024!' }), {
    headers: {
      'User-Agent': 'python-requests/2.32.3',
      Accept: '*/*',
      'Content-Type': 'application/json',
      'X-Forwarded-For': ATTACKER_ADDRESSES[n % ATTACKER_ADDRESSES.length],
    },
    tags: { endpoint: 'login', client: 'stuffing' },
  });
  const gatewayRefusal = response.status === 403 || response.status === 429;
  refused.add(gatewayRefusal);
  check(response, {
    'refusals are problem+json with a gateway type': (r) =>
      !gatewayRefusal || (String(r.headers['Content-Type']).startsWith('application/problem+json') && String(r.body).includes('urn:fraudgateway:problem:')),
    'a 429 says when to retry': (r) => r.status !== 429 || r.headers['Retry-After'] !== undefined,
  });
}
