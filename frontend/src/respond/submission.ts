import { serverMessage, type ApiErrorBody } from '../shared/http.ts';
import type { PendingSubmissionStore, ResponsePayload } from './local-draft.ts';
import { postUntilAnswered, type RetryState } from './post-until-answered.ts';
import { RESUME_CODE_HEADER } from './server-draft.ts';

export type SubmissionResult =
  /**
   * The server has this response. `sentElsewhere`: under this id it already had other answers —
   * another device that continued with the resume code sent them first; one person, one response.
   */
  | { kind: 'stored'; sentElsewhere: boolean }
  | { kind: 'invalid'; errors: { question: string; message: string }[]; message: string | null }
  | { kind: 'refused'; status: number; code: string | null; message: string | null };

export interface SubmitOptions {
  slug: string;
  payload: ResponsePayload;
  pending: PendingSubmissionStore;
  serverDraftCode: string | null;
  onRetry: (state: RetryState) => void;
}

/**
 * Sends a response until the server answers. The payload (with its id) is written to this device
 * BEFORE the first attempt: if the tab closes while offline, the next visit sends the very same
 * response again and the server recognises the id — never lost, never doubled.
 */
export async function submitResponse({ slug, payload, pending, serverDraftCode, onRetry }: SubmitOptions): Promise<SubmissionResult> {
  pending.save({ payload, serverDraftCode });
  const body = JSON.stringify(payload);
  const answer = await postUntilAnswered({
    send: () =>
      fetch(`/api/surveys/${encodeURIComponent(slug)}/responses`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'accept-language': payload.locale,
          // A response id that a saved draft carries is taken only with that draft's code.
          ...(serverDraftCode ? { [RESUME_CODE_HEADER]: serverDraftCode } : {}),
        },
        body,
        credentials: 'omit',
        cache: 'no-store',
      }),
    onRetry,
  });
  // The server has decided, one way or the other: nothing is left to resend.
  pending.clear();
  const errorBody = answer.body as ApiErrorBody | null;
  const sentElsewhere = answer.status === 409 && errorBody?.error?.code === 'response_conflict';
  if (answer.status === 200 || answer.status === 201 || sentElsewhere) {
    if (serverDraftCode) void discardServerDraft(serverDraftCode);
    return { kind: 'stored', sentElsewhere };
  }
  if (answer.status === 422 && Array.isArray(errorBody?.errors)) {
    return { kind: 'invalid', errors: errorBody.errors, message: serverMessage(errorBody) };
  }
  return { kind: 'refused', status: answer.status, code: errorBody?.error?.code ?? null, message: serverMessage(errorBody) };
}

/** The answers are in; a draft of them on the server has no purpose left. Best effort. */
export async function discardServerDraft(code: string): Promise<void> {
  try {
    await fetch('/api/drafts/current', { method: 'DELETE', headers: { [RESUME_CODE_HEADER]: code }, credentials: 'omit' });
  } catch {
    // It expires on its own.
  }
}
