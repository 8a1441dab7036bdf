/**
 * A value several sections read and react to (the reader's language, the connected account). Each
 * one belongs to the page's context (./context.ts), created once per page by main.ts: no module
 * holds page state of its own.
 */
export type Watched<T> = {
  get(): T;
  /** Sets the value; listeners run when it changed (or always, with `force`). */
  set(value: T, force?: boolean): void;
  /** Calls `listener` on every change; returns the unsubscribe. */
  watch(listener: (value: T) => void): () => void;
};

export function watched<T>(initial: T): Watched<T> {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(next, force = false) {
      if (Object.is(next, value) && !force) return;
      value = next;
      for (const listener of [...listeners]) listener(value);
    },
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
