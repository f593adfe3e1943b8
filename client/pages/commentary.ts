import type { BoardPack, CommentaryResponse, CommentaryVersion } from '../../metrics/contract/types.ts';
import { h } from '../dom.ts';
import { formatMoment } from '../format.ts';

/**
 * The quarter's commentary: written by officers, read by the board, printed with the pack. The
 * text is put on the page as text (never markup), so whatever was typed is shown as typed. The
 * pack brings the latest version; an officer's "Edit" fetches every version and the form.
 */

function writtenLine(version: CommentaryVersion): string {
  return `Written by ${version.author} on ${formatMoment(version.written_at)} (version ${version.version}).`;
}

function showVersion(into: HTMLElement, latest: CommentaryVersion | null, officer: boolean): void {
  into.replaceChildren(
    ...(latest
      ? [
          h('div', { class: 'commentary-body' }, latest.body),
          h('p', { class: 'note commentary-meta' }, writtenLine(latest)),
        ]
      : [
          h(
            'p',
            { class: 'note commentary-none' },
            officer
              ? 'No commentary has been written for this quarter yet. Write one for the board with “Edit commentary”.'
              : 'No commentary has been written for this quarter.',
          ),
        ]),
  );
}

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

/**
 * Saves a new version. The CSRF token is the session's (GET /api/v1/session), fetched here rather
 * than kept, so a form left open across a new sign-in still sends the live one.
 */
async function save(quarter: string, body: string, baseVersion: number): Promise<CommentaryVersion> {
  const accept = { Accept: 'application/json' };
  const session = await json<{ csrfToken?: string }>(await fetch('/api/v1/session', { headers: accept }));
  const response = await fetch('/api/v1/commentary', {
    method: 'POST',
    headers: { ...accept, 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken ?? '' },
    body: JSON.stringify({ quarter, body, baseVersion }),
  });
  return (await json<{ saved: CommentaryVersion }>(response)).saved;
}

async function openEditor(
  section: HTMLElement,
  shown: HTMLElement,
  quarter: string,
  button: HTMLButtonElement,
): Promise<void> {
  button.disabled = true;
  const url = `/api/v1/commentary?quarter=${encodeURIComponent(quarter)}`;
  const current = await json<CommentaryResponse>(await fetch(url, { headers: { Accept: 'application/json' } }));
  if (!current.canWrite) {
    button.remove();
    return;
  }
  let base = current.latest?.version ?? 0;
  const textarea = h('textarea', {
    id: 'commentary-text',
    name: 'body',
    rows: 8,
    maxlength: current.maxLength,
    required: true,
  });
  textarea.value = current.latest?.body ?? '';
  const message = h('p', { class: 'form-message', role: 'status', 'aria-live': 'polite' });
  const history = h(
    'details',
    { class: 'commentary-history' },
    h('summary', {}, `Earlier versions (${Math.max((current.history?.length ?? 0) - 1, 0)})`),
    h(
      'ol',
      { reversed: true },
      ...(current.history ?? [])
        .slice(1)
        .map((v) =>
          h('li', {}, h('p', { class: 'note' }, writtenLine(v)), h('div', { class: 'commentary-body' }, v.body)),
        ),
    ),
  );
  const form = h(
    'form',
    { class: 'commentary-form no-print', 'aria-label': 'Edit the commentary' },
    h(
      'label',
      { for: 'commentary-text' },
      'Commentary for the board (plain text; the board sees it as written, ' +
        'so do not quote figures the pack suppresses)',
    ),
    textarea,
    h('button', { type: 'submit' }, 'Save as a new version'),
    message,
    history,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    message.textContent = 'Saving…';
    save(quarter, textarea.value, base).then(
      (saved) => {
        base = saved.version;
        showVersion(shown, saved, true);
        message.textContent = `Saved as version ${saved.version}.`;
      },
      (err: Error) => {
        message.textContent = `Not saved: ${err.message}`;
      },
    );
  });
  button.remove();
  section.append(form);
  textarea.focus();
}

export function commentarySection(pack: BoardPack): HTMLElement {
  // Officers and admins get unsuppressed output; the server decides who may write and says so.
  const officer = !pack.suppressed;
  const shown = h('div', { class: 'commentary-shown' });
  showVersion(shown, pack.commentary ?? null, officer);
  const section = h(
    'section',
    {
      id: 'commentary',
      class: 'pack-section commentary',
      'aria-labelledby': 'commentary-heading',
    },
    h('h2', { id: 'commentary-heading' }, 'Commentary'),
    shown,
  );
  if (officer) {
    const button = h('button', { type: 'button', class: 'commentary-edit no-print' }, 'Edit commentary');
    button.addEventListener('click', () => {
      openEditor(section, shown, pack.period.to, button).catch((err: Error) => {
        button.disabled = false;
        shown.append(h('p', { class: 'form-message' }, `The commentary could not be opened: ${err.message}`));
      });
    });
    section.append(button);
  }
  return section;
}
