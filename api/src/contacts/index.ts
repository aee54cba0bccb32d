export { createContactRoutes } from './routes.ts';
export { createContact, withdrawContact } from './service.ts';
export { deleteUnconfirmedContacts, moveHeldContacts, scheduleIntakeMover, type IntakeMoverSchedule } from './intake-mover.ts';
export { FIELDS_OF_ACTION, PARTICIPATION_FORMATS, type FieldOfAction, type ParticipationFormat } from '../shared/contact-options.ts';
