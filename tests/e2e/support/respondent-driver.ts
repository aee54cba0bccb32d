import type { Page } from 'playwright-core';

/**
 * Drives the respondent page the way a keyboard user does: Tab to move, Space to tick, arrow keys
 * in a select, typing into fields, Enter on buttons. The test reads the page (what has focus, what
 * is answered) to decide which key to press next; it never clicks and never sets values by script.
 */

/** What the element with focus is, as far as answering goes. */
interface FocusInfo {
  kind: 'radio' | 'checkbox' | 'select' | 'number' | 'text' | 'textarea' | 'next' | 'complete' | 'prev' | 'other';
  inSurvey: boolean;
  /** For radios and checkboxes: whether this question already has an answer. */
  answered: boolean;
  label: string;
}

async function focusInfo(page: Page): Promise<FocusInfo> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    const inSurvey = !!element?.closest('#survey');
    const label = (element?.getAttribute('aria-label') ?? element?.textContent ?? (element as HTMLInputElement | null)?.value ?? '').trim().slice(0, 60);
    if (!element) return { kind: 'other', inSurvey, answered: false, label } as const;
    const classes = element.classList;
    if (classes.contains('sd-navigation__complete-btn')) return { kind: 'complete', inSurvey, answered: false, label } as const;
    if (classes.contains('sd-navigation__next-btn')) return { kind: 'next', inSurvey, answered: false, label } as const;
    if (classes.contains('sd-navigation__prev-btn')) return { kind: 'prev', inSurvey, answered: false, label } as const;
    if (element instanceof HTMLInputElement) {
      if (element.type === 'radio' || element.type === 'checkbox') {
        // A question's inputs share a container; answered = any of them is checked.
        const question = element.closest('[data-name]') ?? element.closest('.sd-question') ?? element.form ?? document.body;
        const row = element.closest('tr');
        const scope = element.type === 'radio' ? (row ?? question) : question;
        const answered = [...scope.querySelectorAll<HTMLInputElement>(`input[type="${element.type}"]`)].some((input) => input.checked);
        return { kind: element.type, inSurvey, answered, label } as const;
      }
      if (element.type === 'number') return { kind: 'number', inSurvey, answered: element.value !== '', label } as const;
      if (element.type === 'text' || element.type === 'email' || element.type === 'tel') {
        return { kind: 'text', inSurvey, answered: element.value !== '', label } as const;
      }
    }
    if (element instanceof HTMLTextAreaElement) return { kind: 'textarea', inSurvey, answered: element.value !== '', label } as const;
    if (element instanceof HTMLSelectElement) return { kind: 'select', inSurvey, answered: element.value !== '', label } as const;
    return { kind: 'other', inSurvey, answered: false, label } as const;
  });
}

export interface AnswerOptions {
  /** What to type into number fields (e.g. an out-of-range value to provoke an error). */
  number?: string;
  text?: string;
  /** Bound on Tab presses per page, so a focus trap fails the test instead of hanging it. */
  maxTabs?: number;
}

/**
 * Answers every unanswered question on the current page (first option of each, a number, a
 * sentence), then presses Enter on "next" or "complete". Returns which of the two it pressed.
 */
export async function answerPageWithKeyboard(page: Page, options: AnswerOptions = {}): Promise<'next' | 'complete'> {
  const maxTabs = options.maxTabs ?? 400;
  for (let presses = 0; presses < maxTabs; presses++) {
    await page.keyboard.press('Tab');
    const info = await focusInfo(page);
    if (!info.inSurvey) continue;
    switch (info.kind) {
      case 'next':
      case 'complete':
        await page.keyboard.press('Enter');
        return info.kind;
      case 'radio':
      case 'checkbox':
        if (!info.answered) await page.keyboard.press('Space');
        break;
      case 'select':
        if (!info.answered) await page.keyboard.press('ArrowDown');
        break;
      case 'number':
        if (!info.answered) await page.keyboard.type(options.number ?? '7');
        break;
      case 'text':
      case 'textarea':
        if (!info.answered) await page.keyboard.type(options.text ?? 'Mehr Orte für Begegnung');
        break;
      default:
        break;
    }
  }
  throw new Error(`no "next" or "complete" button reached after ${maxTabs} Tab presses`);
}

/** Tabs until an element matching `selector` has focus (bounded), then presses `key` on it. */
export async function tabTo(page: Page, selector: string, key: 'Enter' | 'Space' | null = 'Enter', maxTabs = 80): Promise<void> {
  for (let presses = 0; presses < maxTabs; presses++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) {
      if (key) await page.keyboard.press(key);
      return;
    }
  }
  throw new Error(`${selector} not reached with ${maxTabs} Tab presses`);
}

/** The visible page title of the survey (survey-core renders it as .sd-page__title). */
export async function currentPageTitle(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector('#survey .sd-page__title')?.textContent?.trim() ?? '');
}

/** Waits until the survey shows another page than the one titled `previous`. */
export async function waitForPageChange(page: Page, previous: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    (before) => {
      const title = document.querySelector('#survey .sd-page__title')?.textContent?.trim() ?? '';
      return title !== '' && title !== before;
    },
    previous,
    { timeout },
  );
}
