/**
 * A single-consumer async queue: the socket pushes, one `for await` reads. It ends normally or with an error,
 * after every item pushed before that has been read.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private iterated = false;

  push(item: T): void {
    if (this.ended) {
      return;
    }

    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter.resolve({ value: item, done: false });
      return;
    }

    this.items.push(item);
  }

  end(error?: unknown): void {
    if (this.ended) {
      return;
    }

    this.ended = true;
    if (error !== undefined) {
      this.failure = { error };
    }

    if (this.waiter) {
      // The waiter only exists while items is empty, so ending now loses nothing.
      const waiter = this.waiter;
      this.waiter = undefined;
      if (this.failure) {
        waiter.reject(this.failure.error);
      } else {
        waiter.resolve({ value: undefined, done: true });
      }
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.iterated) {
      throw new Error("The audio of a context can be iterated once.");
    }

    this.iterated = true;
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) {
          return Promise.resolve({ value: item, done: false });
        }

        if (this.ended) {
          return this.failure ? Promise.reject(this.failure.error) : Promise.resolve({ value: undefined, done: true });
        }

        return new Promise<IteratorResult<T>>((resolve, reject) => {
          this.waiter = { resolve, reject };
        });
      },
      return: () => {
        // A consumer that stops early drops what is buffered; the context goes on unless it is cancelled.
        this.items.length = 0;
        this.ended = true;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
