import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layers of functions/ (README, "Folders"): imports point down only.
 * handlers (api/, workflow/, stream/, events/) → services/ → store/ → runtime/, and the
 * pure domain in shared/ imports none of them. routes/, tasks.ts and
 * function-spec.ts are declarative tables every layer may read.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const filesUnder = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesUnder(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : [],
  );

/** Repository-relative targets of a file's relative imports (static and dynamic). */
const importsOf = (file: string, source = readFileSync(path.join(ROOT, file), 'utf8')): string[] => {
  const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((s) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), s)));
};

type Layer = 'handler' | 'service' | 'store' | 'runtime' | 'table' | 'shared' | 'other';

const layerOf = (file: string): Layer => {
  if (file.startsWith('shared/')) return 'shared';
  if (/^functions\/(api|workflow|stream|events)\//.test(file)) return 'handler';
  if (file.startsWith('functions/services/')) return 'service';
  if (file.startsWith('functions/store/')) return 'store';
  if (file.startsWith('functions/runtime/')) return 'runtime';
  if (/^functions\/(routes\/|routes\.ts|tasks\.ts|function-spec\.ts)/.test(file)) return 'table';
  // The OpenAPI document generated from the route table.
  if (file === 'openapi.json') return 'table';
  return 'other';
};

/** What each layer may import (besides npm packages). */
const MAY_IMPORT: Record<Exclude<Layer, 'other'>, Layer[]> = {
  handler: ['service', 'store', 'runtime', 'table', 'shared'],
  service: ['service', 'store', 'runtime', 'table', 'shared'],
  store: ['store', 'runtime', 'table', 'shared'],
  runtime: ['runtime', 'table', 'shared'],
  table: ['table', 'shared'],
  shared: ['shared'],
};

const violations = (files: string[], read?: (file: string) => string) =>
  files.flatMap((file) => {
    const from = layerOf(file);
    if (from === 'other') return [];
    return importsOf(file, read?.(file))
      .filter((target) => !MAY_IMPORT[from].includes(layerOf(target)))
      .map((target) => `${file} (${from}) imports ${target} (${layerOf(target)})`);
  });

describe('layers', () => {
  const files = [...filesUnder('functions'), ...filesUnder('shared')];

  it('finds every layer in the tree', () => {
    const layers = new Set(files.map(layerOf));
    expect([...layers].sort()).toEqual(['handler', 'runtime', 'service', 'shared', 'store', 'table']);
  });

  it('imports point down only: no runtime file imports a store or a service, no store a service, shared nothing', () => {
    expect(violations(files)).toEqual([]);
  });

  it('a handler does not import another handler', () => {
    const crossing = files
      .filter((f) => layerOf(f) === 'handler')
      .flatMap((f) =>
        importsOf(f)
          .filter((t) => layerOf(t) === 'handler')
          .map((t) => `${f} imports ${t}`),
      );
    expect(crossing).toEqual([]);
  });

  it('every handler runs logged and traced (Powertools Logger and Tracer): through a wrapper or observed()', () => {
    const wrapped = /\b(api|idempotentApi|task)\(|\.use\(observed\(\)\)/;
    const bare = files
      .filter((f) => layerOf(f) === 'handler')
      .filter((f) => /export const handler\b/.test(readFileSync(path.join(ROOT, f), 'utf8')))
      .filter((f) => !wrapped.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(bare).toEqual([]);
    for (const wrapper of ['functions/runtime/http.ts', 'functions/runtime/task.ts'])
      expect(readFileSync(path.join(ROOT, wrapper), 'utf8'), wrapper).toContain('.use(observed())');
  });

  it('the check itself catches upward imports', () => {
    const sources: Record<string, string> = {
      'functions/runtime/http.ts': "import { getEntryRecord } from '../store/entries.ts';",
      'functions/store/entries.ts': "const m = await import('../services/callbacks.ts');",
      'shared/entry.ts': "import { now } from '../functions/runtime/clock.ts';",
    };
    expect(violations(Object.keys(sources), (f) => sources[f]!)).toEqual([
      'functions/runtime/http.ts (runtime) imports functions/store/entries.ts (store)',
      'functions/store/entries.ts (store) imports functions/services/callbacks.ts (service)',
      'shared/entry.ts (shared) imports functions/runtime/clock.ts (runtime)',
    ]);
  });
});
