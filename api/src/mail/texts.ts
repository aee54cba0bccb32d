import type { Locale } from '../shared/locales.ts';

/** The confirmation message in every locale. Only German is reviewed; the others are drafts. */
export interface ConfirmationText {
  subject: string;
  greeting: string;
  body: string;
  confirm: string;
  ignore: string;
  withdraw: string;
}

export const CONFIRMATION_TEXTS: Record<Locale, ConfirmationText> = {
  de: {
    subject: 'Bitte bestätigen Sie Ihre E-Mail-Adresse',
    greeting: 'Guten Tag,',
    body: 'Sie möchten sich in {{town}} beteiligen und haben dafür diese E-Mail-Adresse angegeben. Bitte bestätigen Sie sie mit diesem Link:',
    confirm: 'E-Mail-Adresse bestätigen',
    ignore: 'Wenn Sie das nicht waren, tun Sie nichts: Ohne Bestätigung löschen wir die Adresse nach 14 Tagen.',
    withdraw: 'Sie möchten keine Nachrichten mehr? Hier löschen Sie Ihre Angaben sofort:',
  },
  'de-x-easy': {
    subject: 'Bitte bestätigen Sie Ihre E-Mail-Adresse',
    greeting: 'Hallo,',
    body: 'Sie wollen in {{town}} mitmachen. Sie haben uns diese E-Mail-Adresse gegeben. Bitte klicken Sie auf diesen Link:',
    confirm: 'Ja, das ist meine E-Mail-Adresse',
    ignore: 'Waren Sie das nicht? Dann müssen Sie nichts tun. Nach 14 Tagen löschen wir die Adresse.',
    withdraw: 'Sie wollen keine Nachrichten mehr? Dann klicken Sie hier. Wir löschen Ihre Angaben sofort:',
  },
  en: {
    subject: 'Please confirm your e-mail address',
    greeting: 'Hello,',
    body: 'You would like to take part in {{town}} and gave us this e-mail address. Please confirm it with this link:',
    confirm: 'Confirm e-mail address',
    ignore: 'If this was not you, do nothing: without confirmation we delete the address after 14 days.',
    withdraw: 'No more messages? Delete your details at once here:',
  },
  tr: {
    subject: 'Lütfen e-posta adresinizi onaylayın',
    greeting: 'Merhaba,',
    body: '{{town}} katılım çalışmalarına katılmak istiyorsunuz ve bize bu e-posta adresini verdiniz. Lütfen bu bağlantıyla onaylayın:',
    confirm: 'E-posta adresini onayla',
    ignore: 'Bu siz değilseniz bir şey yapmanıza gerek yok: onay olmazsa adresi 14 gün sonra sileriz.',
    withdraw: 'Artık mesaj almak istemiyor musunuz? Bilgilerinizi buradan hemen silebilirsiniz:',
  },
  ar: {
    subject: 'يرجى تأكيد عنوان بريدك الإلكتروني',
    greeting: 'مرحبًا،',
    body: 'ترغب في المشاركة في {{town}} وقد أعطيتنا عنوان البريد الإلكتروني هذا. يرجى تأكيده عبر هذا الرابط:',
    confirm: 'تأكيد عنوان البريد الإلكتروني',
    ignore: 'إذا لم تكن أنت، فلا تفعل شيئًا: بدون تأكيد نحذف العنوان بعد 14 يومًا.',
    withdraw: 'لا تريد رسائل بعد الآن؟ احذف بياناتك فورًا من هنا:',
  },
  ru: {
    subject: 'Пожалуйста, подтвердите адрес электронной почты',
    greeting: 'Здравствуйте!',
    body: 'Вы хотите участвовать в жизни {{town}} и указали этот адрес электронной почты. Пожалуйста, подтвердите его по ссылке:',
    confirm: 'Подтвердить адрес',
    ignore: 'Если это были не вы, ничего не делайте: без подтверждения мы удалим адрес через 14 дней.',
    withdraw: 'Не хотите больше получать сообщения? Удалите свои данные сразу здесь:',
  },
  uk: {
    subject: 'Будь ласка, підтвердьте адресу електронної пошти',
    greeting: 'Вітаємо!',
    body: 'Ви хочете долучитися до участі в {{town}} і вказали цю адресу електронної пошти. Будь ласка, підтвердьте її за посиланням:',
    confirm: 'Підтвердити адресу',
    ignore: 'Якщо це були не ви, нічого не робіть: без підтвердження ми видалимо адресу через 14 днів.',
    withdraw: 'Більше не хочете отримувати повідомлення? Видаліть свої дані одразу тут:',
  },
  pl: {
    subject: 'Potwierdź swój adres e-mail',
    greeting: 'Dzień dobry,',
    body: 'Chcesz wziąć udział w działaniach w {{town}} i podajesz nam ten adres e-mail. Potwierdź go tym linkiem:',
    confirm: 'Potwierdź adres e-mail',
    ignore: 'Jeśli to nie ty, nic nie rób: bez potwierdzenia usuniemy adres po 14 dniach.',
    withdraw: 'Nie chcesz więcej wiadomości? Tutaj od razu usuniesz swoje dane:',
  },
  fa: {
    subject: 'لطفاً نشانی ایمیل خود را تأیید کنید',
    greeting: 'سلام،',
    body: 'شما می‌خواهید در {{town}} مشارکت کنید و این نشانی ایمیل را به ما داده‌اید. لطفاً آن را با این پیوند تأیید کنید:',
    confirm: 'تأیید نشانی ایمیل',
    ignore: 'اگر شما نبودید، کاری نکنید: بدون تأیید، نشانی را پس از ۱۴ روز حذف می‌کنیم.',
    withdraw: 'دیگر پیامی نمی‌خواهید؟ اطلاعات خود را همین‌جا فوراً حذف کنید:',
  },
};
