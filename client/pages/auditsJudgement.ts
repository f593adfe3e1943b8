import {
  judgementFields,
  judgementNoteMaxLength,
  type Judgement,
  type JudgementAnswers,
} from '../../metrics/contract/audits.ts';
import { api } from '../api.ts';
import { h } from '../dom.ts';
import { formatMoment } from '../format.ts';

/**
 * The judgement form for one sampled child (officers and admins), drawn from the judgement fields of
 * the contract. Every save is a new version with its author and time; once the audit is closed the
 * form is read-only. The note is shown as text, never as markup.
 */

function optionsFieldset(fieldIndex: number, current: JudgementAnswers | undefined, readOnly: boolean): HTMLElement {
  const spec = judgementFields[fieldIndex]!;
  const given = current?.[spec.key];
  const chosen = new Set(Array.isArray(given) ? given : given === undefined ? [] : [given]);
  return h(
    'fieldset',
    { id: `judge-${spec.key}` },
    h('legend', {}, spec.kind === 'many' ? `${spec.label} (tick any that apply)` : spec.label),
    ...spec.options.map((option) => {
      const id = `judge-${spec.key}-${option.value}`;
      return h(
        'label',
        { for: id },
        h('input', {
          id,
          type: spec.kind === 'many' ? 'checkbox' : 'radio',
          name: spec.key,
          value: option.value,
          checked: chosen.has(option.value),
          disabled: readOnly,
          required: spec.kind === 'one' && !readOnly,
        }),
        option.label,
      );
    }),
  );
}

function versionLine(j: Judgement): string {
  return `Version ${j.version} by ${j.author} on ${formatMoment(j.writtenAt)}`;
}

export async function renderAuditJudgement(into: HTMLElement, auditId: number, childKey: number): Promise<void> {
  const [detail, { history }] = await Promise.all([api.audit(auditId), api.judgements(auditId, childKey)]);
  const child = detail.children.find((c) => c.childKey === childKey);
  if (!child) throw new Error(`that child is not in audit ${auditId}'s sample`);
  const readOnly = detail.audit.status === 'closed';
  const latest = history[0];
  let baseVersion = latest?.version ?? 0;
  const note = h('textarea', {
    id: 'judge-note',
    name: 'note',
    rows: 4,
    maxlength: judgementNoteMaxLength,
    readonly: readOnly,
    'aria-describedby': 'judge-note-hint',
  });
  note.value = latest?.note ?? '';
  const message = h('p', { class: 'form-message', role: 'status', 'aria-live': 'polite' });
  const submit = readOnly ? null : h('button', { type: 'submit' }, 'Save judgement');
  const versions = h('ul', { class: 'judge-versions' }, ...history.map((j) => h('li', {}, versionLine(j))));
  const none = h('p', {}, 'No judgement has been saved for this child yet.');
  const form = h(
    'form',
    { class: 'audit-form', id: 'judgement-form' },
    ...judgementFields.map((_, i) => optionsFieldset(i, latest?.answers, readOnly)),
    h(
      'div',
      { class: 'audit-field' },
      h('label', { for: 'judge-note' }, 'Note'),
      h(
        'span',
        { class: 'note', id: 'judge-note-hint' },
        `A short note for the audit (at most ${judgementNoteMaxLength} characters). Officers and admins only; never in board output.`,
      ),
      note,
    ),
    submit,
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!submit) return;
    const answers: JudgementAnswers = {};
    for (const spec of judgementFields) {
      const ticked = [...form.querySelectorAll<HTMLInputElement>(`input[name="${spec.key}"]:checked`)].map(
        (input) => input.value,
      );
      answers[spec.key] = spec.kind === 'many' ? ticked : (ticked[0] ?? '');
    }
    submit.disabled = true;
    message.textContent = 'Saving…';
    api
      .saveJudgement(auditId, childKey, { answers, note: note.value, baseVersion })
      .then(({ saved }) => {
        baseVersion = saved.version;
        versions.prepend(h('li', {}, versionLine(saved)));
        none.remove();
        message.textContent = `Saved as version ${saved.version}.`;
        submit.disabled = false;
      })
      .catch((err: Error) => {
        message.textContent = `The judgement was not saved: ${err.message}`;
        submit.disabled = false;
      });
  });
  into.replaceChildren(
    h(
      'section',
      { id: 'audit-judgement', 'aria-labelledby': 'audit-judgement-heading', class: 'pack-section' },
      h('h2', { id: 'audit-judgement-heading' }, `Judgement: child ${child.laChildId}`),
      h('p', { class: 'note' }, 'Identifiable: for audit by officers only. This view is recorded in the access log.'),
      h(
        'p',
        {},
        h('a', { href: `#audit/${auditId}` }, `Back to audit ${auditId}: ${detail.audit.theme}`),
        ' · ',
        h('a', { href: `#chronology/${encodeURIComponent(child.laChildId)}` }, 'Chronology'),
      ),
      readOnly ? h('p', { class: 'audit-closed' }, 'This audit is closed: its judgements are read-only.') : null,
      form,
      h('h3', {}, 'Versions'),
      history.length ? null : none,
      versions,
    ),
  );
}
