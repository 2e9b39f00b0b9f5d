// Distributed credential stuffing: every attempt from a new address in a new /24, a current Chrome's user agent and
// header set, a new account each time, so no per-client rule and no client model can fire. The gateway's site-wide
// detector must see it (most attempts end unproven) and defended mode must challenge it: after the first WARMUP
// attempts, at most 2% may reach the upstream, and every refusal is a proof of work asked for (problem+json
// captcha-required), not a route-wide quota's 429. A returning person (a trusted-device token from an earlier
// successful login) logs in untouched throughout.
//   k6 run -e BASE_URL=http://127.0.0.1:5000 load-tests/k6/distributed-stuffing.ts
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { Rate } from 'k6/metrics';
import { Options } from 'k6/options';
import { BASE_URL, BROWSER_HEADERS, clientAddress, problemType, runId } from './common.ts';

const reached = new Rate('attack_reached_upstream');
const returning = new Rate('returning_person_passed');
const WARMUP = Number(__ENV.WARMUP || 100);

export const options: Options = {
  scenarios: {
    stuffing: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE || 40),
      timeUnit: '1s',
      duration: __ENV.DURATION || '60s',
      preAllocatedVUs: 10,
      maxVUs: 50,
    },
  },
  thresholds: {
    'attack_reached_upstream{phase:after-warmup}': ['rate<=0.02'],
    returning_person_passed: ['rate>=0.99'],
    checks: ['rate>0.99'],
  },
};

// A returning person: logs in once (the gateway answers with a trusted-device token), then sends it with each login.
export function setup(): { device: string } {
  const response = http.post(`${BASE_URL}/api/auth/login`, JSON.stringify({ username: 'alice', password: 'correct-horse-battery' }), {
    headers: { ...BROWSER_HEADERS, 'X-Forwarded-For': '81.251.1.1' },
  });
  return { device: String(response.headers['X-Device-Token'] || '') };
}

export default function (data: { device: string }): void {
  const i = exec.scenario.iterationInTest;
  const response = http.post(`${BASE_URL}/api/auth/login`, JSON.stringify({ username: `victim${i}-${runId()}@example.org`, password: 'Summer2024!' }), {
    headers: { ...BROWSER_HEADERS, 'X-Forwarded-For': clientAddress(i * 251) },
    tags: { endpoint: 'login', client: 'stuffing' },
  });
  const type = problemType(response);
  reached.add(type === '', { phase: i < WARMUP ? 'warmup' : 'after-warmup' });
  check(response, {
    'answered by the upstream or refused with a problem': (r) => r.status === 200 || r.status === 401 || type !== '',
    'after the warm-up, refused by the challenge, not by a quota': () => i < WARMUP || type === '' || type.endsWith(':captcha-required'),
  });

  if (i % 20 === 0) {
    const person = http.post(`${BASE_URL}/api/auth/login`, JSON.stringify({ username: 'alice', password: 'correct-horse-battery' }), {
      headers: { ...BROWSER_HEADERS, 'X-Forwarded-For': clientAddress(i * 251 + 7), 'X-Device-Token': data.device },
      tags: { endpoint: 'login', client: 'returning' },
    });
    returning.add(person.status === 200);
  }
}
