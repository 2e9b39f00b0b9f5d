// Node's built-in fetch (undici) and axios, each with its defaults: a JSON POST to the capture endpoint.
const [base, which] = process.argv.slice(2);
const body = { username: 'alice', password: 'correct-horse-battery' };
if (which === 'fetch') {
  await fetch(`${base}/capture/node-fetch/post-json?version=${process.versions.node}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
} else {
  const axios = (await import('axios')).default;
  const { version } = JSON.parse((await import('fs')).readFileSync(new URL('./node_modules/axios/package.json', import.meta.url)));
  await axios.post(`${base}/capture/axios/post-json?version=${version}`, body);
}
