import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/** A child process's stdout, one line per call, in order (waits for the next line when none is buffered). */
export function childLines(child: ChildProcess): () => Promise<string> {
  const queue: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else queue.push(line);
  });
  return () => new Promise<string>((resolve) => (queue.length ? resolve(queue.shift()!) : waiters.push(resolve)));
}
