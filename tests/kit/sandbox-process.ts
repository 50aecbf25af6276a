import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * `npm run sandbox` as its own process (node --import tsx, so signals reach the script itself),
 * for tests that restart it for real. Resolves once it listens and has said where its state is kept; `stop()` sends SIGTERM and waits.
 */
export type SandboxProcess = { url: string; output: string[]; stop: () => Promise<number | null> };

export function startSandboxProcess(args: string[], o: { timeoutMs?: number } = {}): Promise<SandboxProcess> {
  const child = spawn(process.execPath, ["--import", "./scripts/server-only.mjs", "--import", "tsx", "scripts/sandbox.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const stop = () =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      child.once("exit", (code) => resolve(code));
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`The sandbox did not start in time:\n${output.join("\n")}`));
    }, o.timeoutMs ?? 30_000);
    let url = "";
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        output.push(line);
        url ||= /^Meta sandbox listening on (\S+)/.exec(line)?.[1] ?? "";
        // The banner ends with where its state is kept.
        if (url && /^\s+state:/.test(line)) {
          clearTimeout(timer);
          resolve({ url, output, stop });
        }
      });
    }
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`The sandbox exited with code ${code} before listening:\n${output.join("\n")}`));
    });
  });
}
