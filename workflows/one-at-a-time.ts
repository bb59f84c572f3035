/**
 * Runs a workflow's steps one at a time, in arrival order: each step decides on the state the
 * previous one left. `await condition(() => !busy); busy = true` is not enough: when the flag
 * falls, the SDK unblocks every waiting condition in the same pass, so two waiting handlers would
 * both go through. Here the lock is handed to the next waiter directly. It schedules no commands, so
 * it is as deterministic as the code around it.
 */
export class OneAtATime {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  get busy(): boolean {
    return this.held;
  }

  async run<T>(step: () => Promise<T>): Promise<T> {
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.held = true;
    try {
      return await step();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.held = false;
    }
  }
}
