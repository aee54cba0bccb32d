export { countWaitingMail, hashConfirmToken, hashWithdrawToken, MAX_ATTEMPTS, sendDueMail, type MailDeps, type MailTransport } from './queue.ts';
export { renderConfirmationMail } from './render.ts';
export { scheduleMail, smtpTransport, type MailSchedule } from './schedule.ts';
