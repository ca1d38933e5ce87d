import cliProgress from 'cli-progress';
import type { AdminClient } from './admin-client.ts';

/**
 * `npm run admin -- watch <competitionId>`: the progress route drawn as progress bars (cli-progress),
 * refreshed until Ctrl-C. The rows are computed from the route's answer alone (`rowsOf`), so what the
 * terminal shows is what the route returned.
 */

interface Counts {
  pending: number;
  sent: number;
  refused: number;
}
export interface Progress {
  competitionId: string;
  title: { zh: string; en: string };
  status: string;
  at: string;
  intake: {
    tracks: Array<{
      trackId: string;
      name: { zh: string; en: string };
      entries: Record<string, number>;
      total: number;
    }>;
    total: number;
  };
  rounds: Array<{
    roundId: string;
    kind: string;
    status: string;
    execution: { status: string };
    reviews?: { expected: number; received: number; perTrack: Record<string, { expected: number; received: number }> };
  }>;
  mails: Counts & { byStage: Array<Counts & { stage: string }> };
  awards: { status: string; execution: { status: string } };
  projects: Array<{ projectId: string; status: string; execution: { status: string } }>;
}

/** One line on screen: a bar when it has a total, a text line otherwise. */
export interface Row {
  key: string;
  label: string;
  value?: number;
  total?: number;
  detail: string;
}

export const rowsOf = (p: Progress): Row[] => {
  const rows: Row[] = [
    { key: 'title', label: `${p.title.zh} / ${p.title.en}`, detail: '' },
    {
      key: 'head',
      label: p.competitionId,
      detail: `${p.status} · as of ${new Date(p.at).toLocaleTimeString('en-GB')}`,
    },
    {
      key: 'intake',
      label: 'Intake (申报)',
      detail: `${p.intake.total} ${p.intake.total === 1 ? 'entry' : 'entries'}`,
    },
  ];
  for (const t of p.intake.tracks) {
    const e = t.entries;
    const screened = (e.ELIGIBLE ?? 0) + (e.INELIGIBLE ?? 0);
    const submitted = screened + (e.SUBMITTED ?? 0);
    rows.push({
      key: `track:${t.trackId}`,
      label: `  ${t.trackId} ${t.name.zh}`,
      value: submitted,
      total: submitted + (e.DRAFT ?? 0),
      detail:
        `submitted ${submitted} · draft ${e.DRAFT ?? 0} · eligible ${e.ELIGIBLE ?? 0} · ` +
        `ineligible ${e.INELIGIBLE ?? 0} · withdrawn ${e.WITHDRAWN ?? 0}`,
    });
  }
  rows.push({ key: 'rounds', label: 'Rounds (轮次)', detail: '' });
  for (const r of p.rounds) {
    const execution = `execution ${r.execution.status}`;
    if (!r.reviews) {
      rows.push({ key: `round:${r.roundId}`, label: `  ${r.roundId}`, detail: `${r.status} · ${execution}` });
      continue;
    }
    rows.push({
      key: `round:${r.roundId}`,
      label: `  ${r.roundId}`,
      value: r.reviews.received,
      total: r.reviews.expected,
      detail: `${r.reviews.received}/${r.reviews.expected} reviews · ${r.status} · ${execution}`,
    });
    for (const [trackId, t] of Object.entries(r.reviews.perTrack)) {
      rows.push({
        key: `round:${r.roundId}:${trackId}`,
        label: `    ${trackId}`,
        value: t.received,
        total: t.expected,
        detail: `${t.received}/${t.expected}`,
      });
    }
  }
  const m = p.mails;
  rows.push({
    key: 'mails',
    label: 'E-mails (邮件)',
    value: m.sent,
    total: m.sent + m.pending + m.refused,
    detail: `sent ${m.sent} · pending ${m.pending} · refused ${m.refused}`,
  });
  const converted = p.projects.filter((x) => x.status === 'CONVERTED').length;
  const failed = p.projects.filter((x) => ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(x.execution.status)).length;
  rows.push({
    key: 'awards',
    label: 'Awards (奖项)',
    detail:
      `${p.awards.status} · execution ${p.awards.execution.status} · projects ${p.projects.length}` +
      ` (converted ${converted}${failed ? `, hand-offs failed ${failed}` : ''})`,
  });
  return rows;
};

const LABEL_WIDTH = 28;
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/;
/** Fits a label to `width` terminal columns (a CJK character takes two), cut with "…" when longer. */
const pad = (s: string, width: number) => {
  let out = '';
  let columns = 0;
  for (const c of s) {
    const w = WIDE.test(c) ? 2 : 1;
    if (columns + w > width - 2) {
      out += '…';
      columns += 1;
      break;
    }
    out += c;
    columns += w;
  }
  return out + ' '.repeat(Math.max(1, width - columns));
};

/** A heading line keeps its whole text; labels of figures line up in a column. */
const labelOf = (row: Row) => (row.detail ? pad(row.label, LABEL_WIDTH) : row.label);

/** Draws the rows with cli-progress; rows with a total are bars, the others text. */
const draw = (rows: Row[], stream: NodeJS.WritableStream, tty: boolean) => {
  const multibar = new cliProgress.MultiBar(
    {
      stream,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      barsize: 24,
      noTTYOutput: !tty,
      notTTYSchedule: 60_000,
      format: '{label}{bar} {detail}',
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map(
    rows.map((row) => {
      const bar = multibar.create(
        Math.max(1, row.total ?? 1),
        row.value ?? 0,
        { label: labelOf(row), detail: row.detail },
        row.total === undefined ? { format: '{label}{detail}' } : {},
      );
      return [row.key, bar] as const;
    }),
  );
  return { multibar, bars };
};

export const watch = async (
  client: AdminClient,
  competitionId: string,
  opts: { intervalMs: number; once: boolean; stream?: NodeJS.WritableStream },
) => {
  const stream = opts.stream ?? process.stdout;
  const tty = Boolean((stream as NodeJS.WriteStream).isTTY);
  const read = async () =>
    ((await client.call('GET', `/admin/competitions/${competitionId}/progress`)) as { progress: Progress }).progress;
  let shown: ReturnType<typeof draw> | undefined;
  let keys = '';
  const render = (rows: Row[]) => {
    const next = rows.map((r) => r.key).join('|');
    if (!shown || next !== keys) {
      // New rows (a round started, a track appeared): draw afresh.
      shown?.multibar.stop();
      shown = draw(rows, stream, tty);
      keys = next;
    }
    for (const row of rows) {
      const bar = shown.bars.get(row.key)!;
      bar.setTotal(Math.max(1, row.total ?? 1));
      bar.update(row.value ?? 0, { label: labelOf(row), detail: row.detail });
    }
  };
  if (opts.once) {
    render(rowsOf(await read()));
    shown!.multibar.stop(); // draws the rows once
    return;
  }
  let stopped = false;
  process.once('SIGINT', () => {
    stopped = true;
  });
  stream.write(`watching ${competitionId} at ${client.target}; Ctrl-C to stop\n`);
  while (!stopped) {
    try {
      render(rowsOf(await read()));
      shown?.multibar.update();
    } catch (e) {
      shown?.multibar.stop();
      shown = undefined;
      stream.write(`${new Date().toISOString()} ${(e as Error).message} — retrying\n`);
    }
    for (let waited = 0; waited < opts.intervalMs && !stopped; waited += 100)
      await new Promise((r) => setTimeout(r, 100));
  }
  shown?.multibar.stop();
};
