import type { Locale } from '../shared/locales.ts';

/**
 * What a printed invitation letter says besides the invitation itself, in every locale. Only
 * German is reviewed; the others are drafts until a native speaker has checked them
 * (docs/activation.md).
 */
export interface LetterText {
  /** Above the subject when the contact gave a name. */
  forName: string;
  /** Under the links: they are the person's own. */
  personal: string;
  /** The heading of the town's data-protection contact at the foot of the page. */
  dataProtection: string;
}

export const LETTER_TEXTS: Record<Locale, LetterText> = {
  de: {
    forName: 'Persönliche Einladung für {{name}}',
    personal: 'Die Links in diesem Brief gehören nur Ihnen. Geben Sie sie nicht weiter. Sie können sie im Browser eintippen.',
    dataProtection: 'Fragen zum Datenschutz',
  },
  'de-x-easy': {
    forName: 'Dieser Brief ist für {{name}}',
    personal: 'Die Links in diesem Brief sind nur für Sie. Geben Sie die Links nicht weiter. Sie können die Links im Browser eintippen.',
    dataProtection: 'Sie haben Fragen zu Ihren Daten? Dann fragen Sie hier',
  },
  en: {
    forName: 'Personal invitation for {{name}}',
    personal: 'The links in this letter are yours alone. Do not pass them on. You can type them into a browser.',
    dataProtection: 'Questions about data protection',
  },
  tr: {
    forName: '{{name}} için kişisel davet',
    personal: 'Bu mektuptaki bağlantılar yalnızca size aittir. Başkasına vermeyin. Bağlantıları tarayıcıya yazabilirsiniz.',
    dataProtection: 'Veri koruma ile ilgili sorular',
  },
  ar: {
    forName: 'دعوة شخصية إلى {{name}}',
    personal: 'الروابط في هذه الرسالة لك وحدك. لا تعطها لأحد. يمكنك كتابتها في المتصفح.',
    dataProtection: 'أسئلة حول حماية البيانات',
  },
  ru: {
    forName: 'Личное приглашение для {{name}}',
    personal: 'Ссылки в этом письме предназначены только для вас. Не передавайте их другим. Их можно ввести в браузере.',
    dataProtection: 'Вопросы о защите данных',
  },
  uk: {
    forName: 'Особисте запрошення для {{name}}',
    personal: 'Посилання в цьому листі призначені лише для вас. Не передавайте їх іншим. Їх можна ввести в браузері.',
    dataProtection: 'Питання щодо захисту даних',
  },
  pl: {
    forName: 'Osobiste zaproszenie dla {{name}}',
    personal: 'Linki w tym liście są tylko dla Ciebie. Nie przekazuj ich innym. Możesz wpisać je w przeglądarce.',
    dataProtection: 'Pytania dotyczące ochrony danych',
  },
  fa: {
    forName: 'دعوت‌نامهٔ شخصی برای {{name}}',
    personal: 'پیوندهای این نامه فقط برای شماست. آن‌ها را به کسی ندهید. می‌توانید آن‌ها را در مرورگر تایپ کنید.',
    dataProtection: 'پرسش دربارهٔ حفاظت از داده‌ها',
  },
};
