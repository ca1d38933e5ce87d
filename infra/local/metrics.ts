import { escapeHtml } from '../../shared/text.ts';

/**
 * An emulation of what CloudWatch does with embedded-metric-format (EMF) log lines: the functions'
 * Powertools Metrics print them (in Lambda to stdout, which CloudWatch Logs reads; locally, with
 * POWERTOOLS_DEV, through `console.log`), and this turns each into data points — summed per metric
 * and dimension set, served at /metrics on the local AWS endpoint. Like CloudWatch, a line that is not
 * valid EMF yields no metric (it is counted as rejected, with the reason). Not CloudWatch: no periods,
 * no statistics beyond sum/count/min/max, nothing kept across restarts.
 */
export interface MetricSeries {
  namespace: string;
  name: string;
  unit: string;
  dimensions: Record<string, string>;
  sum: number;
  count: number;
  min: number;
  max: number;
  lastAt: string;
}

interface EmfDirective {
  Namespace?: unknown;
  Dimensions?: unknown;
  Metrics?: unknown;
}

/** CloudWatch's EMF limits: at most 30 dimensions in a set and 100 metrics in a directive. */
const MAX_DIMENSIONS = 30;
const MAX_METRICS = 100;

export class LocalMetrics {
  private readonly series = new Map<string, MetricSeries>();
  readonly rejected: Array<{ at: string; reason: string }> = [];

  /** Takes EMF lines out of `console.log` (other output passes through); returns the undo. */
  capture(options: { echo: boolean }): () => void {
    const original = console.log;
    console.log = (...args: unknown[]) => {
      const [first] = args;
      if (args.length === 1 && typeof first === 'string' && first.startsWith('{"_aws":')) {
        this.ingest(first);
        if (options.echo) original(first);
        return;
      }
      original(...args);
    };
    return () => {
      console.log = original;
    };
  }

  /** One log line, as CloudWatch would read it: all its data points, or none when it is not valid EMF. */
  ingest(line: string): void {
    const at = new Date().toISOString();
    const points: Array<Parameters<LocalMetrics['add']>> = [];
    const problem = this.read(line, at, points);
    if (problem) {
      this.rejected.push({ at, reason: problem });
      if (this.rejected.length > 100) this.rejected.shift();
      return;
    }
    for (const p of points) this.add(...p);
  }

  /** The line's data points into `points`; what is wrong with it, if anything. */
  private read(line: string, at: string, points: Array<Parameters<LocalMetrics['add']>>): string | undefined {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return 'not JSON';
    }
    const meta = record._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
    if (typeof meta?.Timestamp !== 'number') return '_aws.Timestamp must be a number (epoch milliseconds)';
    if (!Array.isArray(meta.CloudWatchMetrics)) return '_aws.CloudWatchMetrics must be an array';
    for (const directive of meta.CloudWatchMetrics as EmfDirective[]) {
      if (typeof directive.Namespace !== 'string' || !directive.Namespace) return 'a directive needs a Namespace';
      if (!Array.isArray(directive.Metrics) || directive.Metrics.length > MAX_METRICS)
        return `a directive needs 1–${MAX_METRICS} Metrics`;
      const sets = Array.isArray(directive.Dimensions) ? (directive.Dimensions as unknown[]) : [];
      for (const set of sets.length ? sets : [[]]) {
        if (!Array.isArray(set) || set.length > MAX_DIMENSIONS) return `a dimension set holds ≤ ${MAX_DIMENSIONS}`;
        const dimensions: Record<string, string> = {};
        for (const name of set) {
          const value = record[String(name)];
          if (typeof value !== 'string' || !value) return `dimension ${String(name)} has no string value`;
          dimensions[String(name)] = value;
        }
        for (const metric of directive.Metrics as Array<{ Name?: unknown; Unit?: unknown }>) {
          const name = String(metric.Name ?? '');
          const values = ([] as unknown[]).concat(record[name]);
          if (!name || !values.every((v) => typeof v === 'number' && Number.isFinite(v)))
            return `metric ${name || '(unnamed)'} has no numeric value`;
          points.push([directive.Namespace, name, String(metric.Unit ?? 'None'), dimensions, values as number[], at]);
        }
      }
    }
    return undefined;
  }

  private add(
    namespace: string,
    name: string,
    unit: string,
    dimensions: Record<string, string>,
    values: number[],
    at: string,
  ) {
    const sortedDimensions = Object.fromEntries(Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b)));
    const key = JSON.stringify([namespace, name, sortedDimensions]);
    const s = this.series.get(key) ?? {
      namespace,
      name,
      unit,
      dimensions: sortedDimensions,
      sum: 0,
      count: 0,
      min: Number.POSITIVE_INFINITY,
      max: Number.NEGATIVE_INFINITY,
      lastAt: at,
    };
    for (const v of values) {
      s.sum += v;
      s.count += 1;
      s.min = Math.min(s.min, v);
      s.max = Math.max(s.max, v);
    }
    s.lastAt = at;
    this.series.set(key, s);
  }

  /** Every series, optionally only those with a dimension value (e.g. one competition's). */
  list(filter?: { dimension: string; value: string }): MetricSeries[] {
    return [...this.series.values()]
      .filter((s) => !filter || s.dimensions[filter.dimension] === filter.value)
      .sort(
        (a, b) =>
          a.name.localeCompare(b.name) || JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)),
      );
  }

  page(): string {
    const rows = this.list()
      .map(
        (s) =>
          `<tr><td>${escapeHtml(s.namespace)}</td><td>${escapeHtml(s.name)}</td><td>${escapeHtml(
            Object.entries(s.dimensions)
              .map(([k, v]) => `${k}=${v}`)
              .join(', '),
          )}</td><td>${s.sum}</td><td>${s.count}</td><td>${escapeHtml(s.unit)}</td><td>${s.lastAt}</td></tr>`,
      )
      .join('');
    const rejected = this.rejected.length
      ? `<p>${this.rejected.length} EMF line(s) rejected; the last: ${escapeHtml(this.rejected.at(-1)!.reason)}</p>`
      : '';
    return `<!doctype html><meta charset="utf-8"><title>Metrics (local)</title>
<h1>Metrics — a local emulation of CloudWatch's EMF extraction</h1>
<p>Data points the functions published since the stack started, summed per metric and dimension set.
JSON: <code>?format=json</code>.</p>${rejected}
<table border="1" cellpadding="4"><tr><th>namespace</th><th>metric</th><th>dimensions</th><th>sum</th>
<th>points</th><th>unit</th><th>last</th></tr>${rows}</table>`;
  }
}
