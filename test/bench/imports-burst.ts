import type { LocalStack } from '../../infra/local/stack.ts';

/**
 * `rows` experts imported through the bulk path of the local stack: the job and its presigned POST,
 * the CSV posted to (local) S3, S3's Object Created event through the template's EventBridge rule to
 * ImportUploaded, validation and chunked application — then the same file again (every row unchanged).
 */
export const importsBurst = async (local: LocalStack, rows: number) => {
  const admin = { 'content-type': 'application/json', 'x-admin-key': 'bench' };
  const header =
    'email,name,institution,fields,keywords,languages,maxLoadPerRound,conflictOrganizations,conflictApplicants';
  const lines = Array.from(
    { length: rows },
    (_, i) =>
      `bench-import-${i}@example.com,专家${i},研究院${i % 97},IC;AI,芯片;算法,zh,${5 + (i % 20)},某某公司${i % 13},`,
  );
  const file = Buffer.from(`${header}\n${lines.join('\n')}\n`);
  const once = async () => {
    const started = performance.now();
    const r = await fetch(`${local.apiUrl}/admin/imports`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ kind: 'EXPERTS', contentType: 'text/csv', fileName: 'experts.csv' }),
    });
    const b = (await r.json()) as {
      import: { importId: string };
      upload: { url: string; fields: Record<string, string> };
    };
    const form = new FormData();
    for (const [k, v] of Object.entries(b.upload.fields)) form.append(k, v);
    form.append('file', new Blob([file]), 'experts.csv');
    const posted = await fetch(b.upload.url, { method: 'POST', body: form });
    if (posted.status !== 204) throw new Error(`upload refused: ${posted.status} ${await posted.text()}`);
    const uploadedAt = performance.now();
    let job: Record<string, unknown> = {};
    while (!job.done) {
      await new Promise((res) => setTimeout(res, 200));
      const g = await fetch(`${local.apiUrl}/admin/imports/${b.import.importId}`, { headers: admin });
      job = ((await g.json()) as { import: Record<string, unknown> }).import;
    }
    const finished = performance.now();
    return { job, total: (finished - started) / 1000, applying: (finished - uploadedAt) / 1000 };
  };
  const first = await once();
  const again = await once();
  console.log('');
  console.log(
    `Bulk import of ${rows} experts (CSV, ${(file.length / 1024 / 1024).toFixed(1)} MB) through the local stack`,
  );
  console.log('');
  console.log('| run | status | created / updated / unchanged | request → DONE | upload → DONE | rows/s |');
  console.log('|---|---|---|---:|---:|---:|');
  for (const [name, r] of [
    ['first import', first],
    ['same file again', again],
  ] as const) {
    const j = r.job;
    console.log(
      `| ${name} | ${j.status} | ${j.created} / ${j.updated} / ${j.unchanged} | ${r.total.toFixed(1)} s | ${r.applying.toFixed(1)} s | ${Math.round(rows / r.applying)} |`,
    );
  }
};
