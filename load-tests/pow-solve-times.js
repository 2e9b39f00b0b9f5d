// Measures how long the gateway's proof-of-work solver (src/FraudGateway/wwwroot/fraudgateway-pow.js) takes per
// difficulty, with Node's WebCrypto (the same crypto.subtle API browsers have). Bounded: a fixed number of solves.
//   node load-tests/pow-solve-times.js [runs per difficulty]
const { solve } = require('../src/FraudGateway/wwwroot/fraudgateway-pow.js');
const crypto = require('node:crypto');

async function main() {
  const runs = Number(process.argv[2] || 20);
  console.log(`difficulty  median ms  p90 ms  max ms  (${runs} solves each, node ${process.version})`);
  for (const difficulty of [10, 12, 14, 16, 18]) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const challenge = 'pow1.0.' + difficulty + '.' + crypto.randomBytes(16).toString('base64url') + '.bench';
      const start = performance.now();
      await solve(challenge, difficulty);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    console.log(`${String(difficulty).padStart(10)}  ${at(0.5).toFixed(0).padStart(9)}  ${at(0.9).toFixed(0).padStart(6)}  ${times[times.length - 1].toFixed(0).padStart(6)}`);
  }
}

main();
