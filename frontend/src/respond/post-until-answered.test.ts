import { describe, expect, it } from 'vitest';
import { backoffDelay, postUntilAnswered, retryAfterMs, type RetryState } from './post-until-answered.ts';

/** A scripted server: each call answers with the next step (a status, or a network failure). */
function scripted(steps: (number | 'network-error')[], headers: Record<string, string> = {}) {
  const sent: number[] = [];
  const send = async () => {
    const step = steps[sent.length] ?? steps[steps.length - 1]!;
    sent.push(sent.length + 1);
    if (step === 'network-error') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify({ status: step }), { status: step, headers });
  };
  return { send, sent };
}

const noWait = async () => {};

describe('postUntilAnswered', () => {
  it('returns the first answer that settles the request, without retrying', async () => {
    const server = scripted([201]);
    expect(await postUntilAnswered({ send: server.send, wait: noWait })).toEqual({ status: 201, body: { status: 201 } });
    expect(server.sent).toHaveLength(1);
  });

  it('keeps sending through network failures and server errors until an answer comes', async () => {
    const server = scripted(['network-error', 503, 500, 'network-error', 429, 200]);
    const retries: RetryState[] = [];
    const answer = await postUntilAnswered({
      send: server.send,
      wait: noWait,
      isOnline: () => true,
      onRetry: (state) => retries.push(state),
    });
    expect(answer.status).toBe(200);
    expect(server.sent).toHaveLength(6);
    expect(retries.map((r) => r.reason)).toEqual(['network', 'server', 'server', 'network', 'server']);
  });

  it('treats 4xx other than 408/429 as the answer: a refused response is shown, not retried', async () => {
    for (const status of [400, 404, 409, 413, 422]) {
      const server = scripted([status]);
      expect((await postUntilAnswered({ send: server.send, wait: noWait })).status).toBe(status);
      expect(server.sent).toHaveLength(1);
    }
  });

  it('says "offline" when the device knows it has no connection', async () => {
    const server = scripted(['network-error', 201]);
    const reasons: string[] = [];
    await postUntilAnswered({ send: server.send, wait: noWait, isOnline: () => false, onRetry: (s) => reasons.push(s.reason) });
    expect(reasons).toEqual(['offline']);
  });

  it('waits longer after each failure and honours Retry-After', async () => {
    const waits: number[] = [];
    const server = scripted([503, 503, 503, 201]);
    await postUntilAnswered({ send: server.send, wait: async (ms) => void waits.push(ms), random: () => 0.999999 });
    expect(waits).toEqual([1000, 2000, 4000]);

    const limited = scripted([429, 201], { 'retry-after': '7' });
    const limitedWaits: number[] = [];
    await postUntilAnswered({ send: limited.send, wait: async (ms) => void limitedWaits.push(ms) });
    expect(limitedWaits).toEqual([7000]);
  });

  it('stops when the page aborts', async () => {
    const controller = new AbortController();
    const server = scripted([503]);
    const result = postUntilAnswered({
      send: server.send,
      signal: controller.signal,
      wait: async () => controller.abort(new Error('left the page')),
    });
    await expect(result).rejects.toThrow('left the page');
    expect(server.sent).toHaveLength(1);
  });
});

describe('backoff', () => {
  it('doubles up to the cap and never waits less than half the step', () => {
    expect(backoffDelay(1, 1000, 30_000, () => 0)).toBe(500);
    expect(backoffDelay(4, 1000, 30_000, () => 0.999999)).toBe(8000);
    expect(backoffDelay(20, 1000, 30_000, () => 0.999999)).toBe(30_000);
  });

  it('reads Retry-After seconds and caps them', () => {
    expect(retryAfterMs('5', 30_000)).toBe(5000);
    expect(retryAfterMs('3600', 30_000)).toBe(30_000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', 30_000)).toBeNull();
    expect(retryAfterMs(null, 30_000)).toBeNull();
  });
});
