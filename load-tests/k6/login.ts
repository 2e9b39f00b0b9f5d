// People logging in: each iteration is a different person (own address, own account) at a fixed arrival rate.
// Every answer must come from the SampleApi (200 for the demo users, 401 for the others); a gateway refusal fails
// the run. The default rate (10/s) stays under the demo "login" policy's route limit (1000/min); raise the limits
// of your policy before driving more (load-tests/bench.sh shows how).
//   k6 run -e BASE_URL=http://127.0.0.1:5000 -e RATE=10 -e DURATION=60s load-tests/k6/login.ts
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { Options } from 'k6/options';
import { BASE_URL, BROWSER_HEADERS, clientAddress, problemType } from './common.ts';

export const options: Options = {
  scenarios: {
    people: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE || 10),
      timeUnit: '1s',
      duration: __ENV.DURATION || '60s',
      preAllocatedVUs: 20,
      maxVUs: 200,
    },
  },
  thresholds: {
    checks: ['rate>0.99'],
    http_req_duration: ['p(99)<100'],
  },
};

export default function (): void {
  const n = exec.scenario.iterationInTest;
  // One in a hundred logins is the demo user alice, from one of her five usual addresses (the demo policy allows 50
  // distinct addresses per account per hour); everyone else is a new person who mistypes the password.
  const alice = n % 100 === 0;
  const user = alice ? 'alice' : `person${n}`;
  const password = alice ? 'correct-horse-battery' : 'not-my-password';
  const address = alice ? clientAddress(900_000 + (n / 100) % 5) : clientAddress(n);
  const response = http.post(`${BASE_URL}/api/auth/login`, JSON.stringify({ username: user, password }), {
    headers: { ...BROWSER_HEADERS, 'X-Forwarded-For': address },
    tags: { endpoint: 'login' },
  });
  check(response, {
    'answered by the upstream (200 or 401)': (r) => r.status === 200 || r.status === 401,
    'not refused by the gateway': (r) => problemType(r) === '',
  });
}
