import { api, type UploadJob } from '../api.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';

/**
 * Uploads (admins): extracts go through the same loader as `lscb load`; each file lands whole or
 * not at all, and the page follows the load until it reports its summary.
 */
export function renderUploads(into: HTMLElement): void {
  const input = h('input', { id: 'extract-files', type: 'file', multiple: true, accept: '.csv,.xml,.xlsx' });
  const status = h('p', { id: 'upload-status', role: 'status', 'aria-live': 'polite' });
  const results = h('div', { class: 'table-wrap', id: 'upload-results' });
  const form = h(
    'form',
    { class: 'upload', 'aria-labelledby': 'upload-heading' },
    h(
      'label',
      { for: 'extract-files' },
      'Extract files (canonical CSV, CIN census XML, Annex A workbook or lists saved as CSV)',
    ),
    input,
    h('button', { type: 'submit' }, 'Upload and load'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const files = [...(input.files ?? [])];
    if (files.length === 0) {
      status.textContent = 'Choose at least one file.';
      return;
    }
    status.textContent = `Uploading ${files.length} ${files.length === 1 ? 'file' : 'files'}…`;
    void api.upload(files).then(
      (job) => follow(job, status, results),
      (err: Error) => {
        status.textContent = `The upload was refused: ${err.message}`;
      },
    );
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
      results,
    ),
  );
}

async function follow(job: UploadJob, status: HTMLElement, results: HTMLElement): Promise<void> {
  let current = job;
  while (current.status === 'loading') {
    const p = current.progress;
    status.textContent = p
      ? `Loading ${p.file}: ${Math.round((p.bytesRead / Math.max(p.totalBytes, 1)) * 100)}%…`
      : 'Loading…';
    await new Promise((resolve) => setTimeout(resolve, 500));
    current = await api.uploadJob(current.id);
  }
  status.textContent =
    current.status === 'failed'
      ? `The load stopped: ${current.error ?? 'see the server log'}`
      : `Done: ${current.loaded} loaded, ${current.failed} failed, ${current.results.length - current.loaded - current.failed} skipped.`;
  results.replaceChildren(
    dataTable(
      'What each file did',
      [
        { header: 'File', value: (r: UploadJob['results'][number]) => r.file, rowHeader: true },
        { header: 'Result', value: (r) => r.status },
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
}
