import { api, type Session } from '../api.ts';
import { h } from '../dom.ts';

/** The sign-in form; on the demo warehouse it lists the documented demo logins. */
export function renderSignIn(session: Session, into: HTMLElement, onSignedIn: () => void): void {
  const message = h('p', { class: 'form-message', role: 'alert' });
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', {
    id: 'password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-heading' },
    h('h2', { id: 'sign-in-heading' }, 'Sign in'),
    h('p', {}, 'The figures are about children at risk: every look is recorded.'),
    h('label', { for: 'username' }, 'Username'),
    username,
    h('label', { for: 'password' }, 'Password'),
    password,
    h('button', { type: 'submit' }, 'Sign in'),
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    message.textContent = '';
    api.signIn(username.value, password.value).then(onSignedIn, (err: Error) => {
      message.textContent = err.message;
    });
  });
  const demo =
    session.demo && session.demoLogins
      ? h(
          'aside',
          { class: 'demo-logins' },
          h('h2', {}, 'Demo logins (fictional data only)'),
          h('ul', {}, ...session.demoLogins.map((l) => h('li', {}, `${l.role}: ${l.username} / ${l.password}`))),
        )
      : null;
  // The council's identity provider first: its users should not need a second password.
  const sso = session.sso
    ? h('p', { class: 'sso' }, h('a', { class: 'button', href: session.sso.start }, session.sso.label))
    : null;
  if (sso) form.insertBefore(sso, form.querySelector('label'));
  into.replaceChildren(form, ...(demo ? [demo] : []));
  username.focus();
}

/** A user signed in with a one-time password must choose their own before seeing anything. */
export function renderChangePassword(into: HTMLElement, onChanged: () => void): void {
  const message = h('p', { class: 'form-message', role: 'alert' });
  const current = h('input', {
    id: 'current-password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const next = h('input', {
    id: 'new-password',
    type: 'password',
    autocomplete: 'new-password',
    required: true,
    minlength: 12,
  });
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'change-heading' },
    h('h2', { id: 'change-heading' }, 'Choose your own password'),
    h('p', {}, 'You signed in with a one-time password. Choose one of at least 12 characters.'),
    h('label', { for: 'current-password' }, 'One-time password'),
    current,
    h('label', { for: 'new-password' }, 'New password'),
    next,
    h('button', { type: 'submit' }, 'Change password'),
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    api.changePassword(current.value, next.value).then(onChanged, (err: Error) => {
      message.textContent = err.message;
    });
  });
  into.replaceChildren(form);
}
