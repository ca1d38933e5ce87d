import { describe, expect, it } from 'vitest';
import { LocalMetrics } from '../../infra/local/metrics.ts';

/** The local stand-in for CloudWatch's EMF extraction: valid lines become data points, others none. */
const emf = (fields: Record<string, unknown>, dimensions = [['competitionId', 'trackId']]) =>
  JSON.stringify({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: 'InnovationChallenge',
          Dimensions: dimensions,
          Metrics: [{ Name: 'EntriesCreated', Unit: 'Count' }],
        },
      ],
    },
    ...fields,
  });

describe('local EMF metrics', () => {
  it('sums data points per metric and dimension set', () => {
    const m = new LocalMetrics();
    m.ingest(emf({ competitionId: 'c1', trackId: 'ic', EntriesCreated: 1 }));
    m.ingest(emf({ competitionId: 'c1', trackId: 'ic', EntriesCreated: [2, 3] }));
    m.ingest(emf({ competitionId: 'c1', trackId: 'ai', EntriesCreated: 1 }));
    m.ingest(emf({ competitionId: 'c2', trackId: 'ic', EntriesCreated: 4 }));
    const c1 = m.list({ dimension: 'competitionId', value: 'c1' });
    expect(c1.map((s) => [s.dimensions.trackId, s.sum, s.count])).toEqual([
      ['ai', 1, 1],
      ['ic', 6, 3],
    ]);
    expect(m.rejected).toEqual([]);
  });

  it('turns a line that is not valid EMF into no data point at all, and says why', () => {
    const m = new LocalMetrics();
    m.ingest(emf({ competitionId: 'c1', EntriesCreated: 1 })); // trackId missing
    m.ingest(emf({ competitionId: 'c1', trackId: 'ic', EntriesCreated: 'one' }));
    m.ingest(
      emf({ competitionId: 'c1', trackId: 'ic', EntriesCreated: 1 }, [Array.from({ length: 31 }, (_, k) => `d${k}`)]),
    );
    m.ingest('{"_aws": not json');
    expect(m.list()).toEqual([]);
    expect(m.rejected.map((r) => r.reason)).toEqual([
      'dimension trackId has no string value',
      'metric EntriesCreated has no numeric value',
      'a dimension set holds ≤ 30',
      'not JSON',
    ]);
  });

  it('takes EMF lines out of console.log and lets every other line through', () => {
    const m = new LocalMetrics();
    const seen: unknown[][] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => seen.push(args);
    try {
      const undo = m.capture({ echo: false });
      console.log(emf({ competitionId: 'c1', trackId: 'ic', EntriesCreated: 1 }));
      console.log('an ordinary line', 2);
      undo();
      console.log('after');
    } finally {
      console.log = original;
    }
    expect(seen).toEqual([['an ordinary line', 2], ['after']]);
    expect(m.list()).toHaveLength(1);
  });
});
