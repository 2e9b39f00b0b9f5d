// People writing to the contact form: own address and own message each, browser headers; each fetches the form
// token (when the policy issues them, as docker-compose.yml configures) and takes FILL seconds (default 5) to write.
// Every submission must be accepted (202 from the SampleApi). The "contact-form" policy allows 5 per address per
// 10 minutes and the same message 3 times, so each iteration uses a new address and message.
//   k6 run -e BASE_URL=http://127.0.0.1:5000 -e RATE=5 load-tests/k6/contact-form.ts
import http from 'k6/http';
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Options } from 'k6/options';
import { BASE_URL, BROWSER_HEADERS, clientAddress, formToken } from './common.ts';

export const options: Options = {
  scenarios: {
    people: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE || 5),
      timeUnit: '1s',
      duration: __ENV.DURATION || '60s',
      preAllocatedVUs: 40,
      maxVUs: 200,
    },
  },
  thresholds: {
    checks: ['rate>0.99'],
    http_req_duration: ['p(95)<100'],
  },
};

export default function (): void {
  const n = exec.scenario.iterationInTest + 1_000_000;
  const token = formToken('contact-form');
  sleep(Number(__ENV.FILL || 5));
  const body: Record<string, string> = { name: `Person ${n}`, email: `person${n}@example.org`, message: `Hello, question number ${n} about my order.` };
  if (token !== null) {
    body[token.field] = token.token;
  }

  const response = http.post(`${BASE_URL}/api/contact`, JSON.stringify(body), {
    headers: { ...BROWSER_HEADERS, 'X-Forwarded-For': clientAddress(n) },
    tags: { endpoint: 'contact' },
  });
  check(response, { 'accepted (202)': (r) => r.status === 202 });
}
