// Shared by the k6 scripts: where the gateway is and what a browser's fetch() sends.
import { RefinedResponse, ResponseType } from 'k6/http';

export const BASE_URL: string = __ENV.BASE_URL || 'http://127.0.0.1:5000';

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

  const body = JSON.parse(response.body) as { type?: string };
  return body.type || '';
}
