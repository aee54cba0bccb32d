import type { FieldError } from './api.ts';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';

/**
 * Form fields whose server-side problems show next to them: each field has an error line tied to
 * its input (`aria-describedby`) and is marked `aria-invalid` while wrong. Problems the form has no
 * field for go to the form's summary, so no message is ever lost.
 */
export class FieldSet {
  private readonly fields = new Map<string, { input: HTMLElement; error: HTMLElement }>();
  readonly summary: HTMLElement;

  constructor(private readonly prefix: string) {
    this.summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  }

  /** A labelled input with its error line; `field` is the server's dotted path (`dataProtection.email`). */
  field(field: string, label: string | Node, input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, options: { hint?: string; lang?: string } = {}): HTMLElement {
    const id = `${this.prefix}-${field.replace(/[^a-zA-Z0-9-]/g, '-')}`;
    input.id = id;
    const error = h('p', { class: 'field-error', id: `${id}-error` });
    const hint = options.hint ? h('p', { class: 'hint', id: `${id}-hint` }, options.hint) : null;
    input.setAttribute('aria-describedby', [hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' '));
    if (options.lang) input.lang = options.lang;
    this.fields.set(field, { input, error });
    return h('div', { class: 'form-field' }, h('label', { for: id }, label), hint, input, error);
  }

  /** An error line for a group (a margin's sum) that has no single input. */
  groupError(field: string, anchor: HTMLElement): HTMLElement {
    const error = h('p', { class: 'field-error', id: `${this.prefix}-${field.replace(/[^a-zA-Z0-9-]/g, '-')}-error` });
    this.fields.set(field, { input: anchor, error });
    return error;
  }

  clear(): void {
    for (const { input, error } of this.fields.values()) {
      error.textContent = '';
      input.removeAttribute('aria-invalid');
    }
    this.summary.hidden = true;
    this.summary.replaceChildren();
  }

  /** Shows each problem at its field (or the closest enclosing one), the rest in the summary; focuses the first. */
  show(errors: FieldError[], fallbackMessage?: string): void {
    this.clear();
    const unplaced: string[] = [];
    let first: HTMLElement | null = null;
    for (const problem of errors) {
      let path = problem.field;
      let target = this.fields.get(path);
      while (!target && path.includes('.')) {
        path = path.slice(0, path.lastIndexOf('.'));
        target = this.fields.get(path);
      }
      if (!target) {
        unplaced.push(problem.message);
        continue;
      }
      target.error.textContent = target.error.textContent ? `${target.error.textContent} ${problem.message}` : problem.message;
      if (target.input instanceof HTMLInputElement || target.input instanceof HTMLSelectElement || target.input instanceof HTMLTextAreaElement) {
        target.input.setAttribute('aria-invalid', 'true');
      }
      first ??= target.input;
    }
    if (fallbackMessage && errors.length === 0) unplaced.push(fallbackMessage);
    if (unplaced.length > 0) {
      this.summary.replaceChildren(h('p', {}, t('admin:form.problems')), h('ul', {}, ...unplaced.map((message) => h('li', {}, message))));
      this.summary.hidden = false;
      this.summary.focus();
    } else {
      first?.focus();
    }
  }
}

/** A status line announced politely (what just happened: saved, imported). */
export function statusLine(id: string): HTMLElement {
  return h('p', { class: 'success admin-status', role: 'status', id });
}

/**
 * A label naming a language in that language ("Türkçe" on a German page), marked with its `lang`
 * so a screen reader pronounces it right (WCAG 3.1.2), with an optional note in the page's language.
 */
export function languageLabel(locale: string, nativeName: string, dir: 'ltr' | 'rtl', note?: string): HTMLElement {
  return h('span', {}, h('span', { lang: locale, dir }, nativeName), note ? ` (${note})` : null);
}

export const textInput = (value = '', type: 'text' | 'email' | 'url' | 'tel' | 'date' | 'number' | 'datetime-local' = 'text') => h('input', { type, value });

/**
 * The file chosen in a file input, or null after saying at the field that one is needed (message
 * next to it, `aria-invalid`, focus), as every upload form of the admin area does before sending.
 */
export function chosenFile(input: HTMLInputElement, error: HTMLElement, message: string): File | null {
  const chosen = input.files?.[0];
  if (chosen) return chosen;
  error.textContent = message;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
  return null;
}
