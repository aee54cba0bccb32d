export { createEventPublicRoutes, createEventStaffRoutes } from './routes.ts';
export { hashEventToken, prepareEventMail } from './mail.ts';
export { eventIcs } from './ics.ts';
export { DEFAULT_REMINDER_HOURS, queueEventReminders, scheduleEventReminders } from './reminders.ts';
