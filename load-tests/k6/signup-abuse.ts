// Signup abuse: a script creating many accounts from one address. The "signup" policy lets an address create a few
// (its token bucket: burst 10, 50 a day; at most 10 distinct accounts a day) and, in the compose configuration, asks
// for a captcha once half of a quota is used: a bot that cannot solve one is refused from then on. The first
// accounts must be created (201); from the 11th on, at least 95% must be refused by the gateway (403 or 429,
// problem+json), whatever refuses first.
//   k6 run -e BASE_URL=http://127.0.0.1:8080 load-tests/k6/signup-abuse.ts
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { Rate } from 'k6/metrics';
import { Options } from 'k6/options';
import { BASE_URL, problemType } from './common.ts';

const refused = new Rate('refused_by_gateway');
const ADDRESS = __ENV.ADDRESS || '77.88.1.20';

export const options: Options = {
  scenarios: {
    signups: { executor: 'shared-iterations', iterations: Number(__ENV.ITERATIONS || 40), vus: 1 },
  },
  thresholds: {
    'refused_by_gateway{phase:beyond-quota}': ['rate>=0.95'],
    checks: ['rate>0.99'],
  },
};

export default function (): void {
  const i = exec.scenario.iterationInTest;
  const response = http.post(`${BASE_URL}/api/auth/signup`, JSON.stringify({ username: `bulk${i}-${exec.scenario.startTime}`, password: 'Password123!' }), {
    headers: { 'User-Agent': 'python-requests/2.32.3', Accept: '*/*', 'Content-Type': 'application/json', 'X-Forwarded-For': ADDRESS },
    tags: { endpoint: 'signup' },
  });
  const type = problemType(response);
  if (i < 3) {
    check(response, { 'the first accounts are created (201)': (r) => r.status === 201 });
  }

  if (i >= 10) {
    refused.add(type.startsWith('urn:fraudgateway:problem:'), { phase: 'beyond-quota' });
  }

  check(response, { 'a refusal is a gateway problem': (r) => r.status < 400 || type.startsWith('urn:fraudgateway:problem:') });
}
