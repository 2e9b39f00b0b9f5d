// k6 compatibility runner: executes a load-tests/k6 script for a few iterations against a real gateway, without a
// k6 binary (none can be installed where this project's CI runs). It implements the part of the k6 API the scripts
// use (k6, k6/http, k6/execution, k6/metrics, k6/crypto; options.scenarios and options.thresholds) so a gateway
// change that breaks a script's assumption fails CI; k6 itself remains the tool for load (README in load-tests).
//
//   node load-tests/k6/compat/run.mjs <script.ts> [--iterations N] [--iterations <scenario>=N] [-e KEY=VALUE]...
//
// What differs from k6: one VU; the scenarios' executors and rates are ignored, each scenario runs the given number of
// iterations and scenarios are interleaved one iteration at a time; sleep() sleeps for real (scaled by
// K6_COMPAT_SLEEP_SCALE, default 1); no cookie jar; thresholds on timing metrics (http_req_duration and the other
// http_req_* trends) are reported, not enforced (timing is k6's job under load). Any threshold failing, any
// iteration throwing, or no request at all: exit code 99 (as k6 for thresholds), 1 for a script error.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { state } from './state.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const scripts = resolve(here, '..');

const args = process.argv.slice(2);
let script = null;
let defaultIterations = Number(process.env.K6_COMPAT_ITERATIONS || 10);
let iterationsGiven = false;
const perScenario = new Map();
const env = { ...process.env };
for (let i = 0; i < args.length; i++) {
  if (args[i] === '-e' || args[i] === '--env') {
    const [key, ...rest] = args[++i].split('=');
    env[key] = rest.join('=');
  } else if (args[i] === '--iterations') {
    const value = args[++i];
    if (value.includes('=')) {
      const [name, count] = value.split('=');
      perScenario.set(name, Number(count));
    } else {
      defaultIterations = Number(value);
      iterationsGiven = true;
    }
  } else {
    script = args[i];
  }
}

if (!script) {
  console.error('usage: node run.mjs <script.ts> [--iterations N] [--iterations <scenario>=N] [-e KEY=VALUE]...');
  process.exit(2);
}

state.sleepScale = Number(env.K6_COMPAT_SLEEP_SCALE || 1);

// 1. TypeScript -> JavaScript with tsc (the same compiler test.sh type-checks with), k6 modules mapped to the shims.
const out = mkdtempSync(join(tmpdir(), 'k6-compat-'));
try {
  execFileSync(process.execPath, [join(scripts, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(scripts, 'tsconfig.json'),
    '--noEmit', 'false', '--outDir', out, '--rewriteRelativeImportExtensions', '--allowImportingTsExtensions', 'false', '--declaration', 'false'], { stdio: 'inherit' });
} catch {
  console.error('k6-compat: the scripts do not compile');
  process.exit(1);
}

const shims = new Map([
  ['k6', 'k6/index.mjs'], ['k6/http', 'k6/http.mjs'], ['k6/execution', 'k6/execution.mjs'], ['k6/metrics', 'k6/metrics.mjs'], ['k6/crypto', 'k6/crypto.mjs'],
]);
for (const file of readdirSync(out).filter((f) => f.endsWith('.js'))) {
  const source = readFileSync(join(out, file), 'utf8').replace(/from\s+['"](k6(?:\/[a-z]+)?)['"]/g, (match, name) => {
    if (!shims.has(name)) {
      throw new Error(`${file}: k6 module ${name} is not implemented by the compatibility runner`);
    }
    return `from '${pathToFileURL(join(here, shims.get(name))).href}'`;
  });
  writeFileSync(join(out, file), source);
}
writeFileSync(join(out, 'package.json'), '{"type":"module"}');

// 2. The script, with k6's globals.
globalThis.__ENV = env;
globalThis.__VU = 1;
globalThis.__ITER = 0;
let failed = false;
let module;
try {
  module = await import(pathToFileURL(join(out, basename(script).replace(/\.ts$/, '.js'))).href);
} catch (error) {
  console.error(`k6-compat: ${script} did not load: ${error && error.stack || error}`);
  rmSync(out, { recursive: true, force: true });
  process.exit(1);
}

const options = module.options || {};
const scenarios = Object.entries(options.scenarios || { default: {} });
const data = typeof module.setup === 'function' ? module.setup() : undefined;

// 3. Scenarios interleaved, one iteration at a time.
// Iterations: --iterations (all or per scenario), else the scenario's own count for iteration-based executors, else
// K6_COMPAT_ITERATIONS (default 10).
const left = new Map(scenarios.map(([name, scenario]) => [name,
  perScenario.get(name) ?? (!iterationsGiven && typeof scenario.iterations === 'number' ? scenario.iterations : defaultIterations)]));
const done = new Map(scenarios.map(([name]) => [name, 0]));
const started = new Map();
while ([...left.values()].some((n) => n > 0)) {
  for (const [name, scenario] of scenarios) {
    if (left.get(name) === 0) {
      continue;
    }
    const fn = module[scenario.exec || 'default'];
    if (typeof fn !== 'function') {
      console.error(`k6-compat: scenario ${name} runs ${scenario.exec || 'default'}, which the script does not export`);
      process.exit(1);
    }
    if (!started.has(name)) {
      started.set(name, Date.now());
    }
    state.scenario = name;
    state.scenarioStartTime = started.get(name);
    state.iterationInScenario = done.get(name);
    globalThis.__ITER = done.get(name);
    try {
      fn(data);
    } catch (error) {
      failed = true;
      console.error(`k6-compat: scenario ${name}, iteration ${done.get(name)} threw: ${error && error.stack || error}`);
    }
    state.samples.push({ metric: 'iterations', type: 'counter', value: 1, tags: { scenario: name } });
    state.iterationInTest++;
    done.set(name, done.get(name) + 1);
    left.set(name, left.get(name) - 1);
  }
}

if (typeof module.teardown === 'function') {
  module.teardown(data);
}

// 4. Checks and thresholds.
const checks = new Map();
for (const sample of state.samples.filter((s) => s.metric === 'checks')) {
  const key = `${sample.tags.scenario} / ${sample.tags.check}`;
  const entry = checks.get(key) || { pass: 0, fail: 0 };
  entry[sample.value ? 'pass' : 'fail']++;
  checks.set(key, entry);
}
for (const [name, { pass, fail }] of checks) {
  console.log(`${fail === 0 ? '✓' : '✗'} ${name}: ${pass} passed, ${fail} failed`);
}

const requests = state.samples.filter((s) => s.metric === 'http_reqs').length;
if (requests === 0) {
  failed = true;
  console.error('k6-compat: the script sent no request');
}

const timing = /^http_req_(duration|waiting|connecting|tls_handshaking|sending|receiving|blocked)$/;
function select(selector) {
  const match = /^([^{]+)(?:\{(.*)\})?$/.exec(selector);
  const metric = match[1];
  const filters = (match[2] || '').split(',').filter(Boolean).map((pair) => pair.split(':').map((s) => s.trim()));
  return { metric, values: state.samples.filter((s) => s.metric === metric && filters.every(([k, v]) => String(s.tags[k]) === v)).map((s) => s.value) };
}

function aggregate(values, name) {
  const sorted = [...values].sort((a, b) => a - b);
  const percentile = /^p\((\d+(?:\.\d+)?)\)$/.exec(name);
  if (percentile) {
    return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((Number(percentile[1]) / 100) * sorted.length) - 1)];
  }
  switch (name) {
    case 'rate': return values.length === 0 ? NaN : values.filter((v) => v !== 0).length / values.length;
    case 'count': return values.reduce((a, b) => a + b, 0);
    case 'avg': return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min': return sorted[0];
    case 'max': return sorted[sorted.length - 1];
    case 'med': return aggregate(values, 'p(50)');
    case 'value': return values[values.length - 1];
    default: throw new Error(`threshold aggregate ${name} is not implemented`);
  }
}

for (const [selector, conditions] of Object.entries(options.thresholds || {})) {
  const { metric, values } = select(selector);
  for (const condition of conditions.map((c) => (typeof c === 'string' ? c : c.threshold))) {
    const parsed = /^\s*([a-z]+(?:\(\d+(?:\.\d+)?\))?)\s*(<=|>=|==|===|!=|<|>)\s*([\d.]+)\s*$/.exec(condition);
    if (!parsed) {
      failed = true;
      console.error(`✗ ${selector} ${condition}: not understood by the compatibility runner`);
      continue;
    }
    const [, name, operator, limitText] = parsed;
    const actual = aggregate(values, name);
    if (timing.test(metric)) {
      console.log(`- ${selector} ${condition}: ${actual.toFixed(2)} (timing: reported, enforced by k6 under load)`);
      continue;
    }
    const limit = Number(limitText);
    const ok = values.length > 0 && { '<': actual < limit, '<=': actual <= limit, '>': actual > limit, '>=': actual >= limit, '==': actual === limit, '===': actual === limit, '!=': actual !== limit }[operator];
    console.log(`${ok ? '✓' : '✗'} ${selector} ${condition}: ${values.length === 0 ? 'no samples' : actual}`);
    failed = failed || !ok;
  }
}

console.log(`k6-compat: ${basename(script)}: ${state.iterationInTest} iterations, ${requests} requests: ${failed ? 'FAILED' : 'passed'}`);
rmSync(out, { recursive: true, force: true });
process.exit(failed ? 99 : 0);
