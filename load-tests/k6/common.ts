// Shared by the k6 scripts: where the gateway is, what a browser's fetch() sends, and the client side of the
// gateway's form tokens and proof of work.
import http, { RefinedResponse, ResponseType } from 'k6/http';
import crypto from 'k6/crypto';
import exec from 'k6/execution';

export const BASE_URL: string = __ENV.BASE_URL || 'http://127.0.0.1:5000';

// What makes this run's accounts and addresses its own: RUN_ID, else the scenario's start time (the same for every VU;
// only callable from a scenario, not from the init code).
export function runId(): string {
  return __ENV.RUN_ID || String(exec.scenario.startTime);
}

// The headers of a current Chrome's fetch(): the gateway's risk model lets these through.
export const BROWSER_HEADERS: Record<string, string> = {
  'User-Agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36',
  Accept: 'application/json, text/plain, */*',
  'Accept-Language': 'en-US,en;q=0.9',
  'Accept-Encoding': 'gzip, deflate, br, zstd',
  'Sec-Fetch-Site': 'same-origin',
  'Sec-Fetch-Mode': 'cors',
  'Sec-Fetch-Dest': 'empty',
  'Content-Type': 'application/json',
};

// A client address for X-Forwarded-For (the gateway must trust the load generator as a proxy, as the demo
// configuration trusts 127.0.0.1). Consecutive numbers land in different /24 prefixes, so prefix limits see
// different clients; the same number is always the same address.
export function clientAddress(n: number): string {
  const a = n % 250;
  const b = Math.floor(n / 250) % 250;
  const c = Math.floor(n / 62500) % 250;
  return `81.${a + 1}.${b + 1}.${c + 1}`;
}

// The stable problem type of a gateway refusal ("urn:fraudgateway:problem:quota-exceeded"), or '' for other answers.
export function problemType(response: RefinedResponse<ResponseType | undefined>): string {
  const contentType = response.headers['Content-Type'] || '';
  if (!contentType.startsWith('application/problem+json') || typeof response.body !== 'string') {
    return '';
  }

  // The SampleApi answers problem+json too (urn:sampleapi:problem:...): only the gateway's own types count.
  const body = JSON.parse(response.body) as { type?: string };
  return body.type && body.type.startsWith('urn:fraudgateway:problem:') ? body.type : '';
}

// A form token from the gateway for a policy that issues them (GET /.fraudgateway/form-token), or null when the policy
// does not (the shipped demo configuration; docker-compose.yml turns them on for the contact form).
export function formToken(policy: string): { field: string; token: string } | null {
  const response = http.get(`${BASE_URL}/.fraudgateway/form-token?policy=${policy}`, { tags: { endpoint: 'form-token' } });
  if (response.status !== 200 || typeof response.body !== 'string') {
    return null;
  }

  const issued = JSON.parse(response.body) as { token: string; field: string };
  return { field: issued.field, token: issued.token };
}

// Leading zero bits of a hex digest.
export function leadingZeroBits(hex: string): number {
  let bits = 0;
  for (const digit of hex) {
    const value = parseInt(digit, 16);
    if (value === 0) {
      bits += 4;
      continue;
    }

    return bits + (value < 2 ? 3 : value < 4 ? 2 : value < 8 ? 1 : 0);
  }

  return bits;
}

// The gateway's self-hosted proof of work: find a nonce so that SHA-256("<challenge>:<nonce>") starts with
// `difficulty` zero bits; the token to send is "<challenge>:<nonce>".
export function solveProofOfWork(challenge: string, difficulty: number): string {
  for (let nonce = 0; ; nonce++) {
    const token = `${challenge}:${nonce}`;
    if (leadingZeroBits(crypto.sha256(token, 'hex')) >= difficulty) {
      return token;
    }
  }
}

// The body of a gateway refusal (problem+json with a gateway type), or null.
export function problem(response: RefinedResponse<ResponseType | undefined>): Record<string, unknown> | null {
  return problemType(response) === '' ? null : (JSON.parse(String(response.body)) as Record<string, unknown>);
}

// An IPv6 address in one /64 (2a01:4f8:10:20::/64), the interface part from n.
export function ipv6InOnePrefix(n: number): string {
  return `2a01:4f8:10:20:${(n >>> 16) & 0xffff ? ((n >>> 16) & 0xffff).toString(16) : '0'}:${(n & 0xffff).toString(16)}:${((n * 7919) & 0xffff).toString(16)}:1`;
}

// Seconds to think between steps (THINK, default 1): a person reading a page.
export const THINK_SECONDS: number = Number(__ENV.THINK || 1);
