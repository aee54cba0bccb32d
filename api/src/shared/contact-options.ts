/** The fields of action of a strategy (the WIR programme's list): what a person may want to work on. */
export const FIELDS_OF_ACTION = [
  'language_education',
  'work_economy',
  'health',
  'housing_neighbourhood',
  'sport_culture',
  'encounter',
  'administration_openness',
  'interreligious_dialogue',
  'civic_engagement',
] as const;

/** The formats of participation a town offers: Zukunftswerkstatt, Beteiligungscafé, Stadtgespräch… */
export const PARTICIPATION_FORMATS = ['zukunftswerkstatt', 'beteiligungscafe', 'stadtgespraech', 'workshop', 'working_group'] as const;

export type FieldOfAction = (typeof FIELDS_OF_ACTION)[number];
export type ParticipationFormat = (typeof PARTICIPATION_FORMATS)[number];
