// The proof-of-work flow (compose configuration: a contact-form submission from a throwaway e-mail address must solve
// the gateway's self-hosted proof of work): submit -> 403 captcha-required naming the challenge endpoint -> fetch a
// challenge -> solve it with k6/crypto -> submit again with X-Captcha-Token -> 202. The same token a second time must
// be refused (captcha-replayed).
//   k6 run -e BASE_URL=http://127.0.0.1:8080 load-tests/k6/proof-of-work.ts
import http from 'k6/http';
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Options } from 'k6/options';
import { BASE_URL, BROWSER_HEADERS, clientAddress, formToken, problem, solveProofOfWork } from './common.ts';

export const options: Options = {
  scenarios: {
    solvers: { executor: 'shared-iterations', iterations: Number(__ENV.ITERATIONS || 10), vus: 2 },
  },
  thresholds: {
    checks: ['rate>0.99'],
  },
};

export default function (): void {
  const n = 3_000_000 + exec.scenario.iterationInTest;
  const headers = { ...BROWSER_HEADERS, 'X-Forwarded-For': clientAddress(n) };
  const form = formToken('contact-form');
  sleep(Number(__ENV.FILL || 4));
  const body: Record<string, string> = { name: `Person ${n}`, email: `person${n}@mailinator.com`, message: `A question from a throwaway address, number ${n}.` };
  if (form !== null) {
    body[form.field] = form.token;
  }

  const first = http.post(`${BASE_URL}/api/contact`, JSON.stringify(body), { headers, tags: { endpoint: 'contact', step: 'first' } });
  const required = problem(first);
  const captcha = (required?.captcha ?? {}) as Record<string, unknown>;
  if (!check(required, { 'a captcha is required, with a challenge URL': (p) => p?.type === 'urn:fraudgateway:problem:captcha-required' && typeof captcha.challengeUrl === 'string' })) {
    return;
  }

  const issued = http.get(`${BASE_URL}${String(captcha.challengeUrl)}`, { headers, tags: { endpoint: 'pow-challenge' } }).json() as { challenge: string; difficulty: number };
  const solved = solveProofOfWork(issued.challenge, issued.difficulty);
  const second = http.post(`${BASE_URL}/api/contact`, JSON.stringify(body), { headers: { ...headers, 'X-Captcha-Token': solved }, tags: { endpoint: 'contact', step: 'solved' } });
  check(second, { 'with the solution it is accepted (202)': (r) => r.status === 202 });

  const replay = http.post(`${BASE_URL}/api/contact`, JSON.stringify(body), {
    headers: { ...BROWSER_HEADERS, 'X-Forwarded-For': clientAddress(n + 500_000), 'X-Captcha-Token': solved },
    tags: { endpoint: 'contact', step: 'replay' },
  });
  check(replay, { 'the same solution twice is refused (captcha-replayed)': (r) => problem(r)?.type === 'urn:fraudgateway:problem:captcha-replayed' });
}
