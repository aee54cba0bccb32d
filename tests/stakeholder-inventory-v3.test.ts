import fs from 'node:fs';
import path from 'node:path';
// First: survey-core must treat German as its default locale before any Model exists.
import { surveyJsLocale } from '../api/src/shared/survey-core-setup.ts';
import { Model, type PanelModel, type Question, type QuestionPanelDynamicModel } from 'survey-core';
import { describe, expect, it } from 'vitest';
import { AnswerValidator } from '../api/src/responses/validate-answers.ts';
import { withDistrictChoices, type PublicDistrict } from '../frontend/src/respond/survey-definition.ts';
import { REAL_SURVEYS_DIR } from './support/test-platform.ts';

// The revised stakeholder inventory (issue 14, INVENTORY-SPEC): partners as organisations with the
// kinds and frequency of each tie, offers with their own districts, cost, times, accessibility,
// capacity and consent to publication. Every verdict below is survey-core's own (`validate()`,
// `isVisible`), on the definition as the respondent's page gets it (districts filled in).
const file = JSON.parse(fs.readFileSync(path.join(REAL_SURVEYS_DIR, 'stakeholder-inventory.json'), 'utf8'));
const districts: PublicDistrict[] = [
  { code: 'worfelden', name: { default: 'Worfelden' } },
  { code: 'klein_gerau', name: { default: 'Klein-Gerau' } },
];
const ORG = 'AWO Ortsverein Worfelden';

const partner = (name: string, extra: Record<string, unknown> = {}) => ({ partner_name: name, partner_kind: 'club', partner_tie_kinds: ['information'], ...extra });
const VALID = {
  org_name: ORG,
  org_type: 'welfare_association',
  org_fields: ['encounter', 'health'],
  districts_active: ['worfelden', 'klein_gerau'],
  org_public: true,
  partners: [
    partner('TV Worfelden', { partner_tie_kinds: ['joint_projects', 'shared_premises'], partner_frequency: 'monthly' }),
    partner('Jobcenter Kreis Groß-Gerau', { partner_kind: 'jobcenter', partner_tie_kinds: ['referrals'], partner_frequency: 'several_times_a_year' }),
  ],
  cooperation_details: 'Gemeinsames Sommerfest',
  offers: [
    {
      offer_title: 'Elterncafé',
      offer_field: 'encounter',
      offer_target_groups: ['families', 'homeless_people'],
      offer_all_districts: false,
      offer_districts: ['worfelden'],
      offer_where: 'Bürgerhaus',
      offer_languages: ['german', 'sign_language', 'easy_language'],
      offer_frequency: 'weekly',
      offer_cost: 'free',
      offer_times: ['weekday_afternoon'],
      offer_accessibility: ['step_free', 'childcare'],
      offer_capacity: 20,
      offer_public: true,
    },
    {
      offer_title: 'Beratung für Wohnungslose',
      offer_field: 'housing_neighbourhood',
      offer_target_groups: ['homeless_people'],
      offer_all_districts: true,
      offer_languages: ['german', 'arabic'],
      offer_frequency: 'monthly',
      offer_cost: 'reduced',
      offer_times: ['by_arrangement'],
      offer_accessibility: ['none'],
      offer_public: false,
    },
  ],
  network_interest: 'yes_active',
};

function model(answers: Record<string, unknown>, locale = 'de'): Model {
  const built = new Model(withDistrictChoices(file.definition, districts));
  built.focusOnFirstError = false;
  built.locale = surveyJsLocale(locale);
  built.data = structuredClone(answers);
  return built;
}

function panelsOf(survey: Model, name: string): PanelModel[] {
  return (survey.getQuestionByName(name) as QuestionPanelDynamicModel).panels;
}

/** survey-core's errors after validate(), per question of every panel too, as `name: text`. */
function errorsAfterValidate(survey: Model): string[] {
  survey.validate(true, false);
  return survey
    .getAllQuestions(false, false, true)
    .flatMap((question: Question) => question.errors.map((error) => `${question.name}: ${error.getText()}`));
}

describe('the revised stakeholder inventory in survey-core', () => {
  it('accepts an organisation with two partners and two offers', () => {
    const survey = model(VALID);
    expect(panelsOf(survey, 'partners')).toHaveLength(2);
    expect(panelsOf(survey, 'offers')).toHaveLength(2);
    expect(survey.validate(true, false)).toBe(true);
    expect(errorsAfterValidate(survey)).toEqual([]);
  });

  it('asks the organisation’s name and kind, and no kind of person', () => {
    const { org_name: _name, ...withoutName } = VALID;
    expect(model(withoutName).validate(true, false)).toBe(false);
    const kinds = (model(VALID).getQuestionByName('org_type') as unknown as { choices: { value: string }[]; showOtherItem: boolean });
    expect(kinds.choices.map((choice) => choice.value)).not.toContain('resident');
    expect(kinds.showOtherItem).toBe(false);
  });

  it('refuses the same partner twice (keyName partner_name)', () => {
    const twice = { ...VALID, partners: [partner('TV Worfelden'), partner('TV Worfelden', { partner_tie_kinds: ['funding'] })] };
    const survey = model(twice);
    expect(survey.validate(true, false)).toBe(false);
    expect(errorsAfterValidate(survey)).toEqual(['partner_name: Diese Organisation ist schon eingetragen.']);
    // The same in English: the text comes from the instrument, in the respondent's locale.
    expect(errorsAfterValidate(model(twice, 'en'))).toEqual(['partner_name: This organisation has already been entered.']);
  });

  it('refuses the organisation itself as its own partner (expression validator)', () => {
    const survey = model({ ...VALID, partners: [partner('TV Worfelden'), partner(ORG)] });
    expect(survey.validate(true, false)).toBe(false);
    expect(errorsAfterValidate(survey)).toEqual(['partner_name: Das ist Ihre eigene Organisation. Bitte tragen Sie hier eine andere Organisation ein.']);
    const second = panelsOf(survey, 'partners')[1]!.getQuestionByName('partner_name');
    expect(second.errors).toHaveLength(1);
    expect(panelsOf(survey, 'partners')[0]!.getQuestionByName('partner_name').errors).toHaveLength(0);
    // survey-core compares strings ignoring case and surrounding spaces.
    expect(model({ ...VALID, partners: [partner(' awo ortsverein worfelden ')] }).validate(true, false)).toBe(false);
  });

  it('wants at least one kind of tie for each partner', () => {
    const survey = model({ ...VALID, partners: [partner('TV Worfelden', { partner_tie_kinds: [] })] });
    expect(survey.validate(true, false)).toBe(false);
    expect(errorsAfterValidate(survey).map((error) => error.split(':')[0])).toEqual(['partner_tie_kinds']);
  });

  it('hides offer_districts for a town-wide offer and shows it for one in some districts', () => {
    const survey = model(VALID);
    const [inDistricts, townWide] = panelsOf(survey, 'offers');
    expect(inDistricts!.getQuestionByName('offer_districts').isVisible).toBe(true);
    expect(townWide!.getQuestionByName('offer_districts').isVisible).toBe(false);
    // The town's districts are its choices, inside the panel too.
    expect((inDistricts!.getQuestionByName('offer_districts') as unknown as { choices: { value: string }[] }).choices.map((choice) => choice.value)).toEqual(['worfelden', 'klein_gerau']);
    townWide!.getQuestionByName('offer_all_districts').value = false;
    expect(townWide!.getQuestionByName('offer_districts').isVisible).toBe(true);
  });

  it('requires a title for an offer that exists, and none when there are no offers', () => {
    const { offers: _offers, ...noOffers } = VALID;
    expect(model(noOffers).validate(true, false)).toBe(true);
    const untitled = model({ ...VALID, offers: [{ offer_field: 'health' }] });
    expect(errorsAfterValidate(untitled).map((error) => error.split(':')[0])).toEqual(['offer_title']);
  });

  it('keeps a capacity between 1 and 10,000', () => {
    const offer = (capacity: number) => ({ ...VALID, offers: [{ offer_title: 'Kurs', offer_capacity: capacity }] });
    expect(model(offer(1)).validate(true, false)).toBe(true);
    expect(model(offer(10000)).validate(true, false)).toBe(true);
    expect(errorsAfterValidate(model(offer(0)))).toEqual(['offer_capacity: Bitte eine Zahl ab 1 eintragen.']);
    expect(errorsAfterValidate(model(offer(10001)))).toEqual(['offer_capacity: Bitte eine Zahl bis 10.000 eintragen.']);
  });
});

describe('the server validates the offers’ districts like districts_active', () => {
  const validator = new AnswerValidator(file.definition);
  const options = { locale: 'de' as const, districtCodes: ['worfelden', 'klein_gerau'] };

  it('accepts the town’s districts inside the offers panel and refuses a code the town does not have', () => {
    const accepted = validator.validate(VALID, options);
    expect(accepted.ok).toBe(true);
    const unknown = validator.validate({ ...VALID, offers: [{ ...VALID.offers[0], offer_districts: ['atlantis'] }] }, options);
    expect(unknown).toMatchObject({ ok: false, errors: [{ question: 'offers[0].offer_districts' }] });
  });

  it('follows a change of the town’s districts', () => {
    expect(validator.validate(VALID, { ...options, districtCodes: ['klein_gerau'] }).ok).toBe(false);
    expect(validator.validate(VALID, options).ok).toBe(true);
  });

  it('drops the districts of a town-wide offer (its question is hidden)', () => {
    const result = validator.validate({ ...VALID, offers: [{ ...VALID.offers[1], offer_districts: ['worfelden'] }] }, options);
    expect(result.ok && (result.answers.offers as Record<string, unknown>[])[0]).not.toHaveProperty('offer_districts');
  });
});
