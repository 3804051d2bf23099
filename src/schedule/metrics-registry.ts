/** A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text format 0.0.4. */

/** Label values of one sample. */
export type Labels = Record<string, string>;

type Kind = 'counter' | 'gauge' | 'histogram';

interface Family {
  name: string;
  help: string;
  kind: Kind;
  buckets: number[];
  /** Serialized labels → value (counter, gauge) or bucket counts + sum + count (histogram). */
  samples: Map<string, { labels: Labels; value: number; counts: number[]; sum: number }>;
}

/** A counter: only goes up (resets when the process restarts). */
export interface Counter {
  inc(labels: Labels, by?: number): void;
  /** Sets the total kept elsewhere (e.g. a client's own running totals); must not go down. */
  set(labels: Labels, total: number): void;
}

/** A gauge: set to the current value. */
export interface Gauge {
  set(labels: Labels, value: number): void;
}

/** A histogram of observed values with fixed upper bounds. */
export interface Histogram {
  observe(labels: Labels, value: number): void;
}

/** Holds metric families and renders them for a `/metrics` scrape. */
export class MetricsRegistry {
  readonly #families = new Map<string, Family>();
  readonly #collectors: (() => void)[] = [];

  /** Registers a function that refreshes values just before each render (live totals). */
  onCollect(collect: () => void): void {
    this.#collectors.push(collect);
  }

  /** Declares a counter (name should end in `_total`). */
  counter(name: string, help: string): Counter {
    const family = this.#declare(name, help, 'counter', []);
    return {
      inc: (labels, by = 1) => { if (by > 0) this.#sample(family, labels).value += by; },
      set: (labels, total) => {
        const sample = this.#sample(family, labels);
        sample.value = Math.max(sample.value, total);
      },
    };
  }

  /** Declares a gauge. */
  gauge(name: string, help: string): Gauge {
    const family = this.#declare(name, help, 'gauge', []);
    return { set: (labels, value) => { this.#sample(family, labels).value = value; } };
  }

  /** Declares a histogram with these bucket upper bounds (ascending; `+Inf` is added). */
  histogram(name: string, help: string, buckets: number[]): Histogram {
    const family = this.#declare(name, help, 'histogram', [...buckets].sort((a, b) => a - b));
    return {
      observe: (labels, value) => {
        const sample = this.#sample(family, labels);
        family.buckets.forEach((bound, i) => { if (value <= bound) sample.counts[i]! += 1; });
        sample.sum += value;
        sample.value += 1;
      },
    };
  }

  /** The whole registry in Prometheus text format. */
  render(): string {
    for (const collect of this.#collectors) collect();
    const lines: string[] = [];
    for (const family of this.#families.values()) {
      lines.push(`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${family.name} ${family.kind}`);
      for (const sample of family.samples.values()) {
        if (family.kind !== 'histogram') {
          lines.push(`${family.name}${formatLabels(sample.labels)} ${formatNumber(sample.value)}`);
          continue;
        }
        family.buckets.forEach((bound, i) => {
          lines.push(`${family.name}_bucket${formatLabels({ ...sample.labels, le: formatNumber(bound) })} ${sample.counts[i]}`);
        });
        lines.push(`${family.name}_bucket${formatLabels({ ...sample.labels, le: '+Inf' })} ${sample.value}`);
        lines.push(`${family.name}_sum${formatLabels(sample.labels)} ${formatNumber(sample.sum)}`);
        lines.push(`${family.name}_count${formatLabels(sample.labels)} ${sample.value}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }

  #declare(name: string, help: string, kind: Kind, buckets: number[]): Family {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`metrics: invalid metric name "${name}"`);
    if (this.#families.has(name)) throw new Error(`metrics: metric ${name} is declared twice`);
    const family: Family = { name, help, kind, buckets, samples: new Map() };
    this.#families.set(name, family);
    return family;
  }

  #sample(family: Family, labels: Labels): { labels: Labels; value: number; counts: number[]; sum: number } {
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
    let sample = family.samples.get(key);
    if (!sample) {
      sample = { labels: { ...labels }, value: 0, counts: family.buckets.map(() => 0), sum: 0 };
      family.samples.set(key, sample);
    }
    return sample;
  }
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const escape = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${entries.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}
