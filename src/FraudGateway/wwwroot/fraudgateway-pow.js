// FraudGateway proof-of-work solver. Served by the gateway at /.fraudgateway/pow.js.
//
//   const token = await FraudGatewayPow.solveFrom('/.fraudgateway/pow/challenge?provider=pow');
//   fetch('/api/contact', { method: 'POST', headers: { 'X-Captcha-Token': token, ... }, body });
//
// Finds a decimal nonce such that SHA-256("<challenge>:<nonce>") starts with `difficulty` zero bits.
// Expected work is 2^difficulty hashes; see the README for measured solve times.
(function (root) {
  'use strict';
  const encoder = new TextEncoder();

  function leadingZeroBits(bytes) {
    let bits = 0;
    for (const b of bytes) {
      if (b === 0) { bits += 8; continue; }
      return bits + Math.clz32(b) - 24;
    }
    return bits;
  }

  async function solve(challenge, difficulty, options) {
    const subtle = (options && options.subtle) || root.crypto.subtle;
    const batch = 256;
    for (let nonce = 0; ; nonce += batch) {
      const hashes = [];
      for (let i = 0; i < batch; i++) {
        hashes.push(subtle.digest('SHA-256', encoder.encode(challenge + ':' + (nonce + i))));
      }
      const results = await Promise.all(hashes);
      for (let i = 0; i < batch; i++) {
        if (leadingZeroBits(new Uint8Array(results[i])) >= difficulty) {
          return challenge + ':' + (nonce + i);
        }
      }
    }
  }

  async function solveFrom(challengeUrl) {
    const response = await fetch(challengeUrl, { credentials: 'same-origin' });
    if (!response.ok) throw new Error('challenge request failed: ' + response.status);
    const { challenge, difficulty } = await response.json();
    return solve(challenge, difficulty);
  }

  const api = { solve, solveFrom, leadingZeroBits };
  if (typeof module === 'object' && module.exports) module.exports = api;
  root.FraudGatewayPow = api;
})(typeof globalThis !== 'undefined' ? globalThis : this);
