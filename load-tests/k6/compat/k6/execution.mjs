// k6/execution: which scenario and iteration is running.
import { state } from '../state.mjs';

export default {
  get scenario() {
    return { name: state.scenario, iterationInTest: state.iterationInScenario, iterationInInstance: state.iterationInScenario, startTime: state.scenarioStartTime, executor: 'compat', progress: 0 };
  },
  get vu() {
    return { idInTest: 1, idInInstance: 1, iterationInScenario: state.iterationInScenario, iterationInInstance: state.iterationInTest, tags: {}, metrics: { tags: {} } };
  },
  get instance() {
    return { iterationsCompleted: state.iterationInTest, iterationsInterrupted: 0, vusActive: 1, vusInitialized: 1, currentTestRunDuration: Date.now() - state.scenarioStartTime };
  },
  test: { abort(reason) { throw new Error(`test aborted: ${reason || ''}`); }, options: {} },
};
