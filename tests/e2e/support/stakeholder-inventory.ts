import type { Browser, Locator, Page } from 'playwright-core';

/**
 * Fills the revised stakeholder inventory (surveys/stakeholder-inventory.json) the way an
 * organisation does it: in the respondent page `/s/stakeholder-inventory`, in a browser context of
 * its own, by clicking and typing into the survey (never by setting values by script). Answers
 * are the instrument's codes (surveys/stakeholder-inventory.json).
 */
export interface InventoryPartner {
  name: string;
  /** Type only this much of the name and take the rest from the field's list of registry actors. */
  pickAfter?: string;
  kind: string;
  tieKinds: string[];
  frequency?: string;
}

export interface InventoryOffer {
  title: string;
  field: string;
  targetGroups?: string[];
  /** Omitted: town-wide. */
  districts?: string[];
  languages?: string[];
  cost?: string;
  times?: string[];
  accessibility?: string[];
  capacity?: number;
  isPublic: boolean;
}

export interface InventoryFilling {
  name: string;
  kind: string;
  fields: string[];
  districts: string[];
  isPublic: boolean;
  partners?: InventoryPartner[];
  offers?: InventoryOffer[];
}

const WAIT_MS = 20_000;
const SLUG = 'stakeholder-inventory';

const question = (scope: Page | Locator, name: string) => scope.locator(`[data-name="${name}"]`).first();

async function tick(scope: Page | Locator, name: string, values: readonly string[]) {
  for (const value of values) await question(scope, name).locator(`label:has(input[value="${value}"])`).first().click();
}

async function nextPage(page: Page) {
  const title = await page.locator('#survey .sd-page__title').first().innerText();
  await page.locator('#survey .sd-navigation__next-btn').click();
  await page.waitForFunction((previous) => document.querySelector('#survey .sd-page__title')?.textContent?.trim() !== previous.trim(), title, { timeout: WAIT_MS });
}

/** The panels of a dynamic panel question, the last one being the one just added. */
async function addPanel(page: Page, name: string): Promise<Locator> {
  const panels = question(page, name).locator('.sd-paneldynamic__panel-wrapper');
  const before = await panels.count();
  await question(page, name).locator('.sd-paneldynamic__add-btn').first().click();
  await panels.nth(before).waitFor({ timeout: WAIT_MS });
  return panels.nth(before);
}

/**
 * Types into a text field with a list of suggestions (`dataList`, the registry's public names):
 * the first characters, then the rest of the suggestion that starts with them (headless Chromium
 * draws no popup to choose from, so the choice is typed out; the suggestion must be in the list).
 * Returns the suggestions the field offered.
 */
async function pickFromList(field: Locator, typed: string, wanted: string): Promise<string[]> {
  const listId = await field.getAttribute('list');
  const suggestions = listId ? await field.page().locator(`datalist[id="${listId}"] option`).evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value)) : [];
  if (typed !== wanted) {
    // Only what the list offers for these first characters can be picked.
    const offered = suggestions.filter((name) => name.toLocaleLowerCase('de').startsWith(typed.toLocaleLowerCase('de')));
    if (!offered.includes(wanted)) throw new Error(`"${wanted}" is not among the suggestions for "${typed}": ${offered.join(', ')}`);
  }
  await field.click();
  await field.pressSequentially(typed);
  if ((await field.inputValue()) !== wanted) await field.pressSequentially(wanted.slice(typed.length));
  await field.press('Tab');
  return suggestions;
}

export interface FilledInventory {
  /** The response id the page posted. */
  responseId: string;
  /** The registry names the organisation's name field suggested. */
  suggestedNames: string[];
  /** The names each partner's field suggested, in the order of the partners. */
  partnerSuggestions: string[][];
}

/** Opens the inventory in a fresh context, answers it as `filling` says, sends it; the page's POST must succeed. */
export async function fillInventory(browser: Browser, baseUrl: string, filling: InventoryFilling): Promise<FilledInventory> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${baseUrl}/s/${SLUG}?lang=de`);
    await page.locator('#start-button').click({ timeout: WAIT_MS });
    await page.locator('#survey .sd-page__title').first().waitFor({ timeout: WAIT_MS });

    // The organisation.
    const nameField = question(page, 'org_name').locator('input');
    const suggestedNames = await pickFromList(nameField, filling.name, filling.name);
    await tick(page, 'org_type', [filling.kind]);
    await tick(page, 'org_fields', filling.fields);
    await tick(page, 'districts_active', filling.districts);
    await tick(page, 'org_public', [String(filling.isPublic)]);
    await nextPage(page);

    // Its partners, each a registry actor or a new one.
    const partnerSuggestions: string[][] = [];
    for (const partner of filling.partners ?? []) {
      const panel = await addPanel(page, 'partners');
      partnerSuggestions.push(await pickFromList(question(panel, 'partner_name').locator('input'), partner.pickAfter ?? partner.name, partner.name));
      await tick(panel, 'partner_kind', [partner.kind]);
      await tick(panel, 'partner_tie_kinds', partner.tieKinds);
      if (partner.frequency) await tick(panel, 'partner_frequency', [partner.frequency]);
    }
    await nextPage(page);

    // Its offers.
    for (const offer of filling.offers ?? []) {
      const panel = await addPanel(page, 'offers');
      await question(panel, 'offer_title').locator('input').fill(offer.title);
      await selectInDropdown(question(panel, 'offer_field'), offer.field);
      await tick(panel, 'offer_target_groups', offer.targetGroups ?? []);
      await tick(panel, 'offer_all_districts', [String(offer.districts === undefined)]);
      if (offer.districts) {
        await question(panel, 'offer_districts').waitFor({ timeout: WAIT_MS });
        await tick(panel, 'offer_districts', offer.districts);
      }
      await tick(panel, 'offer_languages', offer.languages ?? []);
      if (offer.cost) await tick(panel, 'offer_cost', [offer.cost]);
      await tick(panel, 'offer_times', offer.times ?? []);
      await tick(panel, 'offer_accessibility', offer.accessibility ?? []);
      if (offer.capacity !== undefined) await question(panel, 'offer_capacity').locator('input').fill(String(offer.capacity));
      await tick(panel, 'offer_public', [String(offer.isPublic)]);
    }

    // The rest is optional: on to the end and send.
    while (!(await page.locator('#survey .sd-navigation__complete-btn').isVisible())) await nextPage(page);
    const [posted] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST' && response.url().endsWith(`/api/surveys/${SLUG}/responses`), { timeout: WAIT_MS }),
      page.locator('#survey .sd-navigation__complete-btn').click(),
    ]);
    if (posted.status() !== 201) throw new Error(`the inventory of "${filling.name}" was refused: ${posted.status()} ${await posted.text()}`);
    if (errors.length > 0) throw new Error(`page errors while filling "${filling.name}": ${errors.join('; ')}`);
    const responseId = (JSON.parse(posted.request().postData() ?? '{}') as { id: string }).id;
    return { responseId, suggestedNames, partnerSuggestions };
  } finally {
    await context.close();
  }
}

/** A dropdown question: the respondent page renders it as a native select. */
async function selectInDropdown(dropdown: Locator, value: string) {
  await dropdown.locator('select').selectOption(value);
}
