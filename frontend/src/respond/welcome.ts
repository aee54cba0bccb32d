import { SUPPORTED_LOCALES, type Locale } from '../../../api/src/shared/locales.ts';
import { t } from '../i18n/index.ts';
import { byId } from '../shared/dom.ts';
import { renderLanguageButtons } from '../shared/language-chooser.ts';
import { townSettings } from '../shared/town.ts';
import { showResultsLinks } from './results-links.ts';

export type WelcomeState = 'loading' | 'fresh' | 'has-draft' | 'resumed' | 'resume-not-found' | 'load-failed';

export interface WelcomeOptions {
  locale: Locale;
  onLocaleChosen: (locale: Locale) => void;
  onStart: () => void | Promise<void>;
  onStartOver: () => void;
}

let currentState: WelcomeState = 'loading';

/**
 * The welcome page: who asks, why, how long, voluntary and anonymous, what happens to the answers
 * and when they are deleted, whom to ask — the text is in respond.html (data-i18n), so this only
 * wires the language buttons, the data-protection contact and the start buttons.
 */
export function renderWelcome({ locale, onLocaleChosen, onStart, onStartOver }: WelcomeOptions): void {
  const section = byId('welcome');
  section.hidden = false;
  renderLanguageButtons(byId('language-buttons'), locale, SUPPORTED_LOCALES, onLocaleChosen);

  // The caller shows the welcome page only once the town has its settings.
  const contact = townSettings()?.dataProtection;
  if (contact) {
    byId('dp-name').textContent = contact.name;
    const email = byId<HTMLAnchorElement>('dp-email');
    email.href = `mailto:${contact.email}`;
    email.textContent = contact.email;
    byId('dp-phone-line').hidden = !contact.phone;
    const phone = byId<HTMLAnchorElement>('dp-phone');
    phone.href = `tel:${(contact.phone ?? '').replace(/[^+\d]/g, '')}`;
    phone.textContent = contact.phone ?? '';
    byId('dp-address').hidden = !contact.address;
    byId('dp-address').textContent = contact.address ?? '';
  }

  const start = byId<HTMLButtonElement>('start-button');
  start.onclick = async () => {
    start.disabled = true;
    try {
      await onStart();
    } finally {
      start.disabled = false;
    }
  };
  byId<HTMLButtonElement>('start-over-button').onclick = onStartOver;
  setWelcomeNotice(currentState);
  void showResultsLinks(locale);
}

/** What the buttons offer depends on what this device (or a resume code) brought. */
export function setWelcomeNotice(state: WelcomeState): void {
  currentState = state;
  const notice = byId('welcome-notice');
  const start = byId<HTMLButtonElement>('start-button');
  const startOver = byId<HTMLButtonElement>('start-over-button');
  const continuing = state === 'has-draft' || state === 'resumed';
  start.textContent = t(continuing ? 'respond:welcome.continue' : 'respond:welcome.start');
  startOver.hidden = !continuing;
  notice.dataset.kind = state === 'resume-not-found' || state === 'load-failed' ? 'error' : 'info';
  const messages: Partial<Record<WelcomeState, string>> = {
    'has-draft': 'respond:welcome.savedAnswers',
    resumed: 'respond:welcome.resumeLoaded',
    'resume-not-found': 'respond:resume.notFound',
    'load-failed': 'respond:errors.loadFailed',
  };
  const key = messages[state];
  notice.textContent = key ? t(key) : '';
}
