// The captcha flow against the captcha simulator (compose configuration: the "signup" policy asks for Turnstile once
// half of an address's signup quota is used). A person signing up several accounts from one address: the first
// ones pass; then 403 captcha-required naming the provider and site key; with a solved token (the simulator accepts
// any token under its test secret) the signup is created and the answer carries a captcha pass; with the pass and
// no token the next signup passes too; a token used once is refused the second time (captcha-replayed).
//   k6 run -e BASE_URL=http://127.0.0.1:8080 load-tests/k6/captcha.ts
import http, { RefinedResponse, ResponseType } from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { Options } from 'k6/options';
import { BASE_URL, BROWSER_HEADERS, problem } from './common.ts';

export const options: Options = {
  scenarios: {
    person: { executor: 'shared-iterations', iterations: 1, vus: 1 },
  },
  thresholds: {
    checks: ['rate>0.99'],
  },
};

const ADDRESS = __ENV.ADDRESS || '77.88.3.40';

function signup(name: string, extra: Record<string, string> = {}): RefinedResponse<ResponseType | undefined> {
  return http.post(`${BASE_URL}/api/auth/signup`, JSON.stringify({ username: name, password: 'a-long-password-1' }), {
    headers: { ...BROWSER_HEADERS, 'X-Forwarded-For': ADDRESS, ...extra },
    tags: { endpoint: 'signup' },
  });
}

export default function (): void {
  const run = `${exec.scenario.startTime}`;
  let i = 0;
  let answer = signup(`person-${run}-${i}`);
  while (answer.status === 201 && i < 10) {
    answer = signup(`person-${run}-${++i}`);
  }

  const required = problem(answer);
  const captcha = (required?.captcha ?? {}) as Record<string, unknown>;
  if (!check(required, { 'a captcha is required, naming turnstile and its site key': (p) => p?.type === 'urn:fraudgateway:problem:captcha-required' && captcha.provider === 'turnstile' && typeof captcha.siteKey === 'string' })) {
    return;
  }

  check(i, { 'some signups passed before the captcha': (n) => n >= 1 });
  const token = `sim~-~-~0.9~0~${run}-${i}`;
  const solved = signup(`person-${run}-${i}`, { 'X-Captcha-Token': token });
  check(solved, {
    'with a solved token the signup is created (201)': (r) => r.status === 201,
    'the answer carries a captcha pass': (r) => typeof r.headers['X-Captcha-Pass'] === 'string' && r.headers['X-Captcha-Pass'] !== '',
  });

  const withPass = signup(`person-${run}-${i + 1}`, { 'X-Captcha-Pass': String(solved.headers['X-Captcha-Pass']) });
  check(withPass, { 'with the pass and no token the next signup passes (201)': (r) => r.status === 201 });

  const replayed = signup(`person-${run}-${i + 2}`, { 'X-Captcha-Token': token });
  check(replayed, { 'a used token is refused the second time (captcha-replayed)': (r) => problem(r)?.type === 'urn:fraudgateway:problem:captcha-replayed' });
}
