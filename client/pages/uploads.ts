import { api, type UploadJob, type UploadOptions } from '../api.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';

type FileResult = UploadJob['results'][number];

/**
 * Uploads (admins): extracts go through the same loader as `lscb load`; each file lands whole or
 * not at all, and the page follows the load until it reports its summary. Nothing is dated today
 * by default: a file that states no reference date needs one here (docs/DATA.md "Reference dates"),
 * and a file from another LA is refused until the admin confirms it in a second step.
 */
export function renderUploads(into: HTMLElement): void {
  const input = h('input', { id: 'extract-files', type: 'file', multiple: true, accept: '.csv,.xml,.xlsx' });
  const date = h('input', { id: 'reference-date', type: 'date', 'aria-describedby': 'reference-date-hint' });
  const status = h('p', { id: 'upload-status', role: 'status', 'aria-live': 'polite' });
  const results = h('div', { class: 'table-wrap', id: 'upload-results' });
  const confirm = h('div', { id: 'confirm-la-step' });
  const form = h(
    'form',
    { class: 'upload', 'aria-labelledby': 'upload-heading' },
    h(
      'label',
      { for: 'extract-files' },
      'Extract files (canonical CSV, CIN census XML, Annex A workbook or lists saved as CSV)',
    ),
    input,
    h('label', { for: 'reference-date' }, 'Reference date (the day the extract was taken)'),
    date,
    h(
      'p',
      { class: 'note', id: 'reference-date-hint' },
      'Needed for canonical CSV, which carries no date of its own. A CIN census states its own; an Annex A workbook without one takes the latest event date in it.',
    ),
    h('button', { type: 'submit' }, 'Upload and load'),
    dryRunButton(() => [...(input.files ?? [])], status, results),
  );
  const send = (files: File[], options: UploadOptions) => {
    status.textContent = `Uploading ${files.length} ${files.length === 1 ? 'file' : 'files'}…`;
    confirm.replaceChildren();
    void api.upload(files, options).then(
      (job) => follow(job, status, results).then((done) => offerConfirmation(done, files, options)),
      (err: Error) => {
        status.textContent = `The upload was refused: ${err.message}`;
      },
    );
  };
  const offerConfirmation = (job: UploadJob, files: File[], options: UploadOptions) => {
    const otherLa = job.results.filter((r) => r.refusal?.reason === 'other LA');
    const refusedFiles = files.filter((f) => otherLa.some((r) => r.file === f.name));
    if (refusedFiles.length === 0) return;
    confirm.replaceChildren(confirmationStep(otherLa, (ok) => send(refusedFiles, { ...options, confirmLa: ok })));
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const files = [...(input.files ?? [])];
    if (files.length === 0) {
      status.textContent = 'Choose at least one file.';
      return;
    }
    send(files, { referenceDate: date.value || undefined });
  });
  into.replaceChildren(
    h(
      'section',
      { id: 'uploads', 'aria-labelledby': 'upload-heading', class: 'pack-section' },
      h('h2', { id: 'upload-heading' }, 'Load extracts'),
      h(
        'p',
        { class: 'note' },
        'Each file is loaded in its own transaction: it lands whole, with its rejected rows kept, or not at all. A file loaded before is skipped.',
      ),
      form,
      status,
      confirm,
      results,
    ),
  );
}

/** Checks CIN census files against the DfE rules without loading them (a dry run), as `lscb validate`. */
function dryRunButton(files: () => File[], status: HTMLElement, results: HTMLElement): HTMLElement {
  const button = h('button', { type: 'button', id: 'dry-run' }, 'Check census files against the DfE rules (dry run)');
  button.addEventListener('click', () => {
    const chosen = files();
    if (chosen.length === 0) {
      status.textContent = 'Choose at least one file.';
      return;
    }
    status.textContent = 'Checking against the DfE rules; nothing will be loaded…';
    void api.uploadDryRun(chosen).then(
      (report) => {
        const broken = report.rules.filter((r) => r.count > 0);
        status.textContent = report.failed
          ? 'Dry run: some records break a rule that rejects them. Nothing was loaded.'
          : `Dry run: no record would be rejected; ${broken.length} flag ${broken.length === 1 ? 'rule' : 'rules'} broken. Nothing was loaded.`;
        results.replaceChildren(
          dataTable(
            'DfE rules broken (dry run)',
            [
              { header: 'Rule', value: (r: (typeof broken)[number]) => r.code, rowHeader: true },
              { header: 'Kind', value: (r) => r.kind },
              { header: 'Count', value: (r) => String(r.count), numeric: true },
              { header: 'What is wrong', value: (r) => r.message },
            ],
            broken,
          ),
        );
      },
      (err: Error) => {
        status.textContent = `The dry run was refused: ${err.message}`;
      },
    );
  });
  return button;
}

/** The second step for files from another LA: loaded only once the admin ticks that they are right. */
function confirmationStep(refused: FileResult[], load: (confirmed: boolean) => void): HTMLElement {
  const codes = [...new Set(refused.map((r) => (r.refusal?.reason === 'other LA' ? r.refusal.fileLa : '')))].join(', ');
  const ours = refused[0]?.refusal?.reason === 'other LA' ? refused[0].refusal.warehouseLa : '';
  const box = h('input', { id: 'confirm-la', type: 'checkbox', required: true });
  const step = h(
    'form',
    { class: 'upload', id: 'confirm-la-form', 'aria-labelledby': 'confirm-la-heading' },
    h('h3', { id: 'confirm-la-heading' }, 'Files from another LA'),
    h(
      'p',
      {},
      `${refused.map((r) => r.file).join(', ')} ${refused.length === 1 ? 'says' : 'say'} LA ${codes}; this warehouse is LA ${ours}. Nothing of ${refused.length === 1 ? 'it' : 'them'} was loaded.`,
    ),
    h(
      'label',
      {},
      box,
      ` These files belong in LA ${ours}'s warehouse although they say LA ${codes} (for example, a test extract)`,
    ),
    h('button', { type: 'submit' }, 'Load them anyway'),
  );
  step.addEventListener('submit', (event) => {
    event.preventDefault();
    if (box.checked) load(true);
  });
  return step;
}

async function follow(job: UploadJob, status: HTMLElement, results: HTMLElement): Promise<UploadJob> {
  let current = job;
  while (current.status === 'loading') {
    const p = current.progress;
    status.textContent = p
      ? `Loading ${p.file}: ${Math.round((p.bytesRead / Math.max(p.totalBytes, 1)) * 100)}%…`
      : 'Loading…';
    await new Promise((resolve) => setTimeout(resolve, 500));
    current = await api.uploadJob(current.id);
  }
  const refused = current.refused ?? 0;
  status.textContent =
    current.status === 'failed'
      ? `The load stopped: ${current.error ?? 'see the server log'}`
      : `Done: ${current.loaded} loaded, ${current.failed - refused} failed, ${refused} refused, ${current.results.length - current.loaded - current.failed} skipped.`;
  results.replaceChildren(
    dataTable(
      'What each file did',
      [
        { header: 'File', value: (r: FileResult) => r.file, rowHeader: true },
        { header: 'Result', value: (r) => (r.refusal ? 'refused' : r.status) },
        { header: 'Format', value: (r) => r.format },
        { header: 'Read', value: (r) => String(r.rowsRead), numeric: true },
        { header: 'Rejected', value: (r) => String(r.rowsRejected), numeric: true },
        { header: 'Merged', value: (r) => String(r.rowsMerged), numeric: true },
        { header: 'Message', value: (r) => r.message ?? '' },
      ],
      current.results,
    ),
  );
  if (current.loaded > 0) {
    // The page's quarters and figures were read before the load: start again to see the new data.
    const reopen = h('button', { type: 'button', class: 'link-button' }, 'Open the board pack with the new data');
    reopen.addEventListener('click', () => location.assign(location.pathname));
    results.append(reopen);
  }
  return current;
}
