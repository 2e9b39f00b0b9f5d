// IPv6 rotation: a script taking a new address for every login, all in one /64 (what one IPv6 customer gets), with a
// browser's headers and a new account each time, so no per-address or per-account limit ever fills. The gateway
// counts the /64 as one client ("prefix-minute": 100 a minute): from the 101st request on, at least 95% must be
// refused (problem+json).
//   k6 run -e BASE_URL=http://127.0.0.1:8080 load-tests/k6/ipv6-rotation.ts
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { Rate } from 'k6/metrics';
import { Options } from 'k6/options';
import { BASE_URL, BROWSER_HEADERS, ipv6InOnePrefix, problemType } from './common.ts';

const refused = new Rate('refused_by_gateway');

export const options: Options = {
  scenarios: {
    rotation: { executor: 'shared-iterations', iterations: Number(__ENV.ITERATIONS || 150), vus: 5 },
  },
  thresholds: {
    'refused_by_gateway{phase:over-prefix-limit}': ['rate>=0.95'],
    checks: ['rate>0.99'],
  },
};

export default function (): void {
  const i = exec.scenario.iterationInTest;
  const response = http.post(`${BASE_URL}/api/auth/login`, JSON.stringify({ username: `rotator${i}@example.org`, password: 'Winter2025!' }), {
    headers: { ...BROWSER_HEADERS, 'X-Forwarded-For': ipv6InOnePrefix(i) },
    tags: { endpoint: 'login' },
  });
  const type = problemType(response);
  if (i < 50) {
    check(response, { 'the first 50 look like different people and reach the upstream': (r) => r.status === 200 || r.status === 401 });
  }

  if (i >= 105) {
    refused.add(type.startsWith('urn:fraudgateway:problem:'), { phase: 'over-prefix-limit' });
  }

  check(response, { 'answered by the upstream or refused with a problem': (r) => r.status === 200 || r.status === 401 || type !== '' });
}
