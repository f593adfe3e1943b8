import { api, SignInRequired, type Session } from './api.ts';
import { byId, h } from './dom.ts';
import { renderAuditDraw, renderAuditRegister } from './pages/audits.ts';
import { renderAuditFindings } from './pages/auditsFindings.ts';
import { renderAuditJudgement } from './pages/auditsJudgement.ts';
import { renderAuditSample } from './pages/auditsSample.ts';
import { renderBoardPack } from './pages/boardPack.ts';
import { renderCases } from './pages/cases.ts';
import { renderChronology } from './pages/chronology.ts';
import { renderQuality } from './pages/quality.ts';
import { renderIndicator, renderScorecard, renderStrategyReview } from './pages/strategy.ts';
import { renderUploads } from './pages/uploads.ts';
import { renderChangePassword, renderSignIn } from './pages/signIn.ts';
import { quartersInside, type Quarter } from './quarters.ts';

/**
 * The client: sign in, then the board pack (everyone), data quality and case lists (officers and
 * admins). Every number comes from the API; this file only drives the pages.
 */
type PageName =
  | 'pack'
  | 'quality'
  | 'cases'
  | 'uploads'
  | 'chronology'
  | 'audits'
  | 'audit-draw'
  | 'audit'
  | 'audit-judge'
  | 'audit-findings'
  | 'strategy'
  | 'strategy-review';
const pages: { name: PageName; label: string; roles: Session['role'][] }[] = [
  { name: 'pack', label: 'Board pack', roles: ['board', 'officer', 'admin'] },
  { name: 'quality', label: 'Data quality', roles: ['officer', 'admin'] },
  { name: 'cases', label: 'Case lists', roles: ['officer', 'admin'] },
  { name: 'uploads', label: 'Load extracts', roles: ['admin'] },
  { name: 'audits', label: 'Audits', roles: ['board', 'lead', 'officer', 'admin'] },
  { name: 'strategy', label: 'Strategy', roles: ['lead', 'officer', 'admin'] },
];
/** Pages reached by links, not the navigation. */
const linkedPages: { name: PageName; label: string; roles: Session['role'][] }[] = [
  { name: 'chronology', label: 'Chronology', roles: ['officer', 'admin'] },
  { name: 'audit-draw', label: 'Draw an audit sample', roles: ['officer', 'admin'] },
  { name: 'audit', label: 'Audit sample', roles: ['officer', 'admin'] },
  { name: 'audit-judge', label: 'Audit judgement', roles: ['officer', 'admin'] },
  { name: 'audit-findings', label: 'Audit findings', roles: ['board', 'lead', 'officer', 'admin'] },
  // What `lscb report --strategy` prints: the board sees it suppressed, like the pack's Strategy section.
  { name: 'strategy-review', label: 'Neglect strategy review', roles: ['board', 'lead', 'officer', 'admin'] },
];

let session: Session;
let quarters: Quarter[] = [];

const ready = (state: string) => {
  document.body.dataset['ready'] = state;
};

function currentPage(): PageName {
  const name = location.hash.replace(/^#/, '').split(/[/?]/)[0];
  const page = [...pages, ...linkedPages].find((p) => p.name === name && p.roles.includes(session.role));
  // A strategy lead has no board pack page of their own: the scorecard is their front page.
  return page?.name ?? (session.role === 'lead' ? 'strategy' : 'pack');
}

function renderNav(): void {
  const here = currentPage();
  const links = pages
    .filter((p) => p.roles.includes(session.role))
    .map((p) => h('a', { href: `#${p.name}`, 'aria-current': p.name === here ? 'page' : undefined }, p.label));
  const signOut = h('button', { type: 'button', class: 'link-button' }, signOutLabel(session));
  signOut.addEventListener('click', () => void api.signOut().then(() => location.reload()));
  byId('nav').replaceChildren(...links, signOut);
}

const roleWords: Record<NonNullable<Session['role']>, string> = {
  board: 'board member',
  officer: 'officer',
  admin: 'administrator',
  lead: 'strategy lead',
};

/** "Sign out (board)" when the username is the role's own name, else "Sign out (jsmith, officer)": never "board, board". */
export function signOutLabel(who: Pick<Session, 'username' | 'role'>): string {
  const role = who.role ? roleWords[who.role] : undefined;
  if (!who.username) return 'Sign out';
  if (!role || who.username === who.role) return `Sign out (${who.username})`;
  return `Sign out (${who.username}, ${role})`;
}

function selectedQuarter(): Quarter {
  const select = byId<HTMLSelectElement>('quarter');
  return quarters.find((q) => q.to === select.value) ?? quarters[0]!;
}

/** The quarter matters to the pack, the case lists and the strategy pages only. */
const showsQuarter = (page: PageName) => page === 'pack' || page === 'cases' || page.startsWith('strategy');

/** Each load's number: a slow answer for a quarter the reader has since left is dropped, not shown. */
let showing = 0;

async function show(): Promise<void> {
  const request = ++showing;
  const status = byId('status');
  const quarter = selectedQuarter();
  const page = currentPage();
  renderNav();
  byId('period-form').hidden = !showsQuarter(page);
  ready('false');
  status.textContent = `Loading ${page === 'pack' ? 'figures' : page} for ${quarter.label}…`;
  try {
    const into = byId('pack');
    if (page === 'pack') {
      const pack = await api.boardPack(quarter.to);
      if (request !== showing) return;
      renderBoardPack(pack, into);
      byId('subtitle').textContent =
        `${quarter.label} · ${pack.suppressed ? 'board output: small numbers suppressed' : 'officer view: unsuppressed'}`;
      document.body.dataset['suppressed'] = String(pack.suppressed);
    } else if (page === 'quality') {
      await renderQuality(into);
    } else if (page === 'chronology') {
      await renderChronology(into, decodeURIComponent(location.hash.split('/').slice(1).join('/')));
    } else if (page === 'uploads') {
      renderUploads(into);
    } else if (page === 'strategy') {
      // #strategy (the scorecard) or #strategy/<indicator id>
      const id = location.hash.split('/')[1];
      if (id) await renderIndicator(into, Number(id), quarter.to);
      else await renderScorecard(into, quarter.to);
    } else if (page === 'strategy-review') {
      await renderStrategyReview(into, quarter.to);
    } else if (page === 'audits') {
      await renderAuditRegister(into);
    } else if (page.startsWith('audit')) {
      // #audit-draw/<figure>, #audit/<id>, #audit-judge/<id>/<child key>, #audit-findings/<id>
      const [first, second] = location.hash.split('/').slice(1).map(decodeURIComponent);
      if (page === 'audit-draw') await renderAuditDraw(into, quarter, first);
      else if (page === 'audit') await renderAuditSample(into, Number(first));
      else if (page === 'audit-judge') await renderAuditJudgement(into, Number(first), Number(second));
      else await renderAuditFindings(into, Number(first));
    } else {
      await renderCases(into, quarter);
    }
    const label = [...pages, ...linkedPages].find((p) => p.name === page)!.label;
    const heading = label === 'Board pack' ? 'Neglect board pack' : label;
    byId('page-title').textContent = heading;
    // The page's name in the tab, the history and a printed PDF's title (WCAG 2.4.2), not always the pack's.
    document.title = `${heading}${showsQuarter(page) ? `, ${quarter.label}` : ''} — LSCB Insight`;
    status.textContent = `Showing ${quarter.label}.`;
    document.body.dataset['quarter'] = quarter.to;
    document.body.dataset['page'] = page;
    await document.fonts.ready;
    ready('true');
  } catch (err) {
    if (err instanceof SignInRequired) return void start();
    if (request !== showing) return;
    // Never leave the last quarter's figures on screen under this quarter's name.
    const message = `The figures for ${quarter.label} could not be loaded: ${(err as Error).message}`;
    byId('pack').replaceChildren(h('p', { class: 'load-error', role: 'alert' }, message));
    byId('subtitle').textContent = `${quarter.label} · not available`;
    document.title = `${quarter.label} not available — LSCB Insight`;
    status.textContent = message;
    document.body.dataset['quarter'] = quarter.to;
    ready('error');
  }
}

async function start(): Promise<void> {
  session = await api.session();
  const into = byId('pack');
  if (!session.signedIn) {
    byId('status').textContent = 'Sign in to see the figures.';
    document.title = 'Sign in — LSCB Insight';
    byId('nav').replaceChildren();
    renderSignIn(session, into, () => void start());
    ready('signin');
    return;
  }
  if (session.mustChangePassword) {
    renderChangePassword(into, () => void start());
    ready('password');
    return;
  }
  const extent = await api.extent();
  if (!extent.first_date || !extent.latest_quarter_end) {
    byId('status').textContent =
      session.role === 'admin'
        ? 'The warehouse holds no data yet: load extracts below, or with `lscb load`.'
        : 'The warehouse holds no data yet. An admin can load extracts.';
    renderNav();
    if (session.role === 'admin') renderUploads(byId('pack'));
    ready('empty');
    return;
  }
  // Only quarters wholly inside the data, and recorded in full: one the data start part-way through,
  // or before the system recorded everything, would undercount.
  quarters = quartersInside(
    extent.recorded_from ?? extent.first_date,
    extent.extract_date ?? extent.latest_quarter_end,
  );
  if (quarters.length === 0) {
    byId('status').textContent = 'The data do not yet cover a whole quarter.';
    renderNav();
    ready('empty');
    return;
  }
  const select = byId<HTMLSelectElement>('quarter');
  select.replaceChildren(...quarters.map((q) => new Option(q.label, q.to)));
  const requested = new URLSearchParams(location.search).get('quarter');
  select.value = (quarters.find((q) => q.to === requested) ?? quarters[0]!).to;
  select.onchange = () => {
    history.replaceState(null, '', `?quarter=${select.value}${location.hash}`);
    void show();
  };
  window.onhashchange = () => void show();
  await show();
}

void start().catch((err: Error) => {
  byId('status').textContent = `The page could not start: ${err.message}`;
  ready('error');
});
