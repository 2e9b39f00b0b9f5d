// k6/metrics: custom metrics, recorded as samples with the current scenario's tags.
import { addSample } from '../state.mjs';

class Metric {
  constructor(name, type) {
    this.name = name;
    this.type = type;
  }

  add(value, tags) {
    addSample(this.name, this.type, value, tags);
  }
}

export class Counter extends Metric { constructor(name) { super(name, 'counter'); } }
export class Rate extends Metric { constructor(name) { super(name, 'rate'); } }
export class Trend extends Metric { constructor(name) { super(name, 'trend'); } }
export class Gauge extends Metric { constructor(name) { super(name, 'gauge'); } }
