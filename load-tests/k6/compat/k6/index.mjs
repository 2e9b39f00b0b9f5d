// k6: check, group, sleep, fail.
import { addSample, blockFor, state } from '../state.mjs';

export function check(value, sets, tags) {
  let all = true;
  for (const [name, test] of Object.entries(sets)) {
    let ok;
    try {
      ok = typeof test === 'function' ? Boolean(test(value)) : Boolean(test);
    } catch (error) {
      ok = false;
      console.error(`check "${name}" threw: ${error}`);
    }
    addSample('checks', 'rate', ok, { check: name, ...(tags || {}) });
    all = all && ok;
  }
  return all;
}

export function group(name, fn) {
  const outer = state.group;
  state.group = `${outer}::${name}`;
  try {
    return fn();
  } finally {
    state.group = outer;
  }
}

export function sleep(seconds) {
  blockFor(Number(seconds) * 1000 * state.sleepScale);
}

export function fail(message) {
  throw new Error(message || 'fail() called');
}

export default { check, group, sleep, fail };
