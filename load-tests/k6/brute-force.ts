// Brute force on one account: one address guessing an account's password (an account of this run's own, so a
// lockout never reaches the accounts other scripts log in with) with a browser's headers (so the risk model's
// view of the client is not what stops it). The "brute-force" limit (account+ip, 10 failures an hour, 15-minute
// penalty) and the failure counters must refuse it: the first guess reaches the SampleApi (401); from the 11th on,
// at least 95% must be refused by the gateway.
//   k6 run -e BASE_URL=http://127.0.0.1:8080 load-tests/k6/brute-force.ts
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { Rate } from 'k6/metrics';
import { Options } from 'k6/options';
import { BASE_URL, BROWSER_HEADERS, problemType, runId } from './common.ts';

const refused = new Rate('refused_by_gateway');

export const options: Options = {
  scenarios: {
    guesses: { executor: 'shared-iterations', iterations: Number(__ENV.ITERATIONS || 30), vus: 1 },
  },
  thresholds: {
    'refused_by_gateway{phase:after-10-failures}': ['rate>=0.95'],
    checks: ['rate>0.99'],
  },
};

export default function (): void {
  const i = exec.scenario.iterationInTest;
  // The run's own address too (ADDRESS to choose one): a second run does not start where the first one's failures left it.
  const address = __ENV.ADDRESS || `77.88.${(Number(runId().replace(/\D/g, '').slice(-6)) % 250) + 1}.30`;
  const response = http.post(`${BASE_URL}/api/auth/login`, JSON.stringify({ username: `brute-${runId()}`, password: `guess-${i}` }), {
    headers: { ...BROWSER_HEADERS, 'X-Forwarded-For': address },
    tags: { endpoint: 'login' },
  });
  const type = problemType(response);
  if (i === 0) {
    check(response, { 'the first guess reaches the upstream (401)': (r) => r.status === 401 });
  }

  if (i >= 10) {
    refused.add(type.startsWith('urn:fraudgateway:problem:'), { phase: 'after-10-failures' });
  }

  check(response, { 'a 429 says when to retry': (r) => r.status !== 429 || r.headers['Retry-After'] !== undefined });
}
