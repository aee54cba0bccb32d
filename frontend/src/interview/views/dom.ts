import { h } from '../../shared/dom.ts';

/** The element builder the whole front end uses (shared/dom.ts), under the name the views know. */
export { h as el };

type Attributes = Parameters<typeof h>[1];

/** Moves focus to a view's heading after it changed, so screen readers announce the new view. */
export function focusHeading(root: ParentNode): void {
  const heading = root.querySelector<HTMLElement>('h1, h2');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus();
}

/** A button that runs `action` and stays disabled while it runs (no double submissions). */
export function actionButton(label: string, action: () => Promise<void> | void, attributes: Attributes = {}): HTMLButtonElement {
  const button = h('button', { type: 'button', ...attributes }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await action();
    } finally {
      button.disabled = false;
    }
  });
  return button;
}
