import os from 'node:os';

/** Runs a piece of password-hashing work in one of the queue's slots. */
export type HashRunner = <T>(work: () => Promise<T>) => Promise<T>;

/** A reserved place in the queue; `release()` gives it back (always, in a `finally`). */
export interface HashTicket {
  run: HashRunner;
  release(): void;
}

export interface HashQueueOptions {
  /** Hashes computed at once. */
  concurrency: number;
  /** Logins that may wait for a slot; one more is refused at once instead of queueing. */
  maxWaiting: number;
}

/**
 * A bounded queue for argon2. Each hash takes 64 MiB and ~150 ms of CPU on its own threads, and runs
 * on libuv's thread pool (4 threads), which file reads and gzip share: 200 parallel failed logins
 * used to keep every pool thread and core busy, and a public survey GET waited behind them. So at
 * most `concurrency` hashes run (half the cores, at least one: the other half stays for public
 * requests), at most `maxWaiting` wait, and a login beyond that is refused (503 `login_busy` with
 * Retry-After) without costing any CPU. Per process: each process guards its own cores.
 */
export class HashQueue {
  private admitted = 0;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly options: HashQueueOptions) {
    if (!(options.concurrency >= 1 && options.maxWaiting >= 0)) throw new Error('HashQueue needs concurrency ≥ 1 and maxWaiting ≥ 0');
  }

  /** Logins admitted and not yet released (running or waiting). */
  get size(): number {
    return this.admitted;
  }

  /** A place in the queue, or null when `concurrency + maxWaiting` logins already hold one. */
  tryAdmit(): HashTicket | null {
    if (this.admitted >= this.options.concurrency + this.options.maxWaiting) return null;
    this.admitted += 1;
    let released = false;
    return {
      run: (work) => this.runInSlot(work),
      release: () => {
        if (released) return;
        released = true;
        this.admitted -= 1;
      },
    };
  }

  /** Hashing that must not be refused (an admin setting a password): waits for a slot, never turned away. */
  readonly run: HashRunner = (work) => this.runInSlot(work);

  private async runInSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}

export const DEFAULT_HASH_QUEUE_OPTIONS: HashQueueOptions = {
  concurrency: Math.max(1, Math.floor(os.availableParallelism() / 2)),
  maxWaiting: 16,
};

/** The process's one queue: every login and password change of this process goes through it. */
export const passwordHashQueue = new HashQueue(DEFAULT_HASH_QUEUE_OPTIONS);
