// Contact-form spam, one scenario per trick the gateway stops (the compose configuration: form tokens on, disposable
// addresses challenged with proof of work, honeypot blocked, the same message at most 3 times per 10 minutes):
//   honeypot      a bot filling the hidden "website" field                          -> 403 spam-detected
//   too_fast      a bot posting the moment it has the form token                    -> 403 spam-detected
//   no_token      a bot posting without the form token                              -> 403 spam-detected
//   duplicates    one message from ever new addresses, each filling the form slowly -> 202 x2, then refused (the
//                 third copy asks for proof of work, which a spam bot does not do; later ones 429 quota-exceeded)
//   disposable    a throwaway e-mail address, filled slowly                         -> 403 captcha-required (proof of work)
// Every refusal is problem+json with a stable type; the refused_by_gateway thresholds fail the run otherwise.
//   k6 run -e BASE_URL=http://127.0.0.1:8080 load-tests/k6/contact-spam.ts
import http, { RefinedResponse, ResponseType } from 'k6/http';
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Rate } from 'k6/metrics';
import { Options } from 'k6/options';
import { BASE_URL, BROWSER_HEADERS, clientAddress, formToken, problemType } from './common.ts';

const refused = new Rate('refused_by_gateway');
const FILL = Number(__ENV.FILL || 4);
const iterations = (name: string, fallback: number) => Number(__ENV[`${name.toUpperCase()}_ITERATIONS`] || fallback);

export const options: Options = {
  scenarios: {
    honeypot: { executor: 'shared-iterations', exec: 'honeypot', iterations: iterations('honeypot', 20), vus: 2 },
    too_fast: { executor: 'shared-iterations', exec: 'tooFast', iterations: iterations('too_fast', 20), vus: 2 },
    no_token: { executor: 'shared-iterations', exec: 'noToken', iterations: iterations('no_token', 20), vus: 2 },
    duplicates: { executor: 'shared-iterations', exec: 'duplicates', iterations: iterations('duplicates', 10), vus: 1 },
    disposable: { executor: 'shared-iterations', exec: 'disposable', iterations: iterations('disposable', 5), vus: 1 },
  },
  thresholds: {
    'refused_by_gateway{scenario:honeypot}': ['rate>=0.95'],
    'refused_by_gateway{scenario:too_fast}': ['rate>=0.95'],
    'refused_by_gateway{scenario:no_token}': ['rate>=0.95'],
    'refused_by_gateway{scenario:duplicates,phase:over-quota}': ['rate>=0.95'],
    'refused_by_gateway{scenario:disposable}': ['rate>=0.95'],
    checks: ['rate>0.99'],
  },
};

function submit(n: number, fields: Record<string, string>): RefinedResponse<ResponseType | undefined> {
  const body = { name: `Sender ${n}`, email: `sender${n}@example.org`, message: `Great offer number ${n}, visit our site.`, ...fields };
  return http.post(`${BASE_URL}/api/contact`, JSON.stringify(body), {
    headers: { ...BROWSER_HEADERS, 'X-Forwarded-For': clientAddress(n) },
    tags: { endpoint: 'contact' },
  });
}

function expectRefusal(response: RefinedResponse<ResponseType | undefined>, type: string, tags: Record<string, string> = {}): void {
  const isRefused = problemType(response) === `urn:fraudgateway:problem:${type}`;
  refused.add(isRefused, tags);
  check(response, { [`refused: ${type}`]: () => isRefused });
}

function token(): Record<string, string> {
  const issued = formToken('contact-form');
  check(issued, { 'the contact-form policy issues form tokens': (t) => t !== null });
  return issued === null ? {} : { [issued.field]: issued.token };
}

export function honeypot(): void {
  const n = 2_000_000 + exec.scenario.iterationInTest;
  const fields = token();
  sleep(FILL);
  expectRefusal(submit(n, { ...fields, website: 'http://cheap-pills.example' }), 'spam-detected');
}

export function tooFast(): void {
  const n = 2_100_000 + exec.scenario.iterationInTest;
  expectRefusal(submit(n, token()), 'spam-detected');
}

export function noToken(): void {
  expectRefusal(submit(2_200_000 + exec.scenario.iterationInTest, {}), 'spam-detected');
}

export function duplicates(): void {
  const i = exec.scenario.iterationInTest;
  const fields = token();
  sleep(FILL);
  const response = submit(2_300_000 + i, { ...fields, message: 'Buy followers now! Best prices, limited offer.' });
  if (i < 2) {
    check(response, { 'the first two copies are accepted (202)': (r) => r.status === 202 });
  } else {
    const type = problemType(response);
    const isRefused = type === 'urn:fraudgateway:problem:captcha-required' || type === 'urn:fraudgateway:problem:quota-exceeded';
    refused.add(isRefused, { phase: 'over-quota' });
    check(response, { 'later copies are refused (captcha-required, then quota-exceeded)': () => isRefused });
  }
}

export function disposable(): void {
  const n = 2_400_000 + exec.scenario.iterationInTest;
  const fields = token();
  sleep(FILL);
  const response = submit(n, { ...fields, email: `throwaway${n}@mailinator.com` });
  expectRefusal(response, 'captcha-required');
  check(response, { 'the challenge names the proof-of-work endpoint': (r) => String(r.body).includes('/.fraudgateway/pow/challenge?provider=pow') });
}
