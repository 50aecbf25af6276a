import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server (smtp-server) on a free loopback port that keeps what it accepts, parsed
 * (mailparser) — for mail delivery tests and, with `saveTo`, for a production server started by the
 * browser journeys (each accepted message is written there as `<n>.eml`). Faults for the next
 * deliveries can be queued, one per delivery: a reply code at RCPT TO or after DATA, or the
 * connection dropped once the whole message arrived (no reply at all).
 */
export type SinkFault = { at: "rcpt" | "data"; code: number; message: string } | { at: "data"; drop: true };

export type SmtpSink = {
  url: string;
  /** Accepted messages, in order. */
  received: ParsedMail[];
  /** Delivery attempts that reached RCPT TO (accepted, refused or dropped). */
  attempts: number;
  failNext(...faults: SinkFault[]): void;
  /** Resolves once `count` messages were accepted in total. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
};

export async function startSmtpSink(o: { saveTo?: string } = {}): Promise<SmtpSink> {
  const faults: SinkFault[] = [];
  const received: ParsedMail[] = [];
  const waiters = new Set<() => void>();
  let attempts = 0;
  let current: SinkFault | undefined;
  if (o.saveTo) mkdirSync(o.saveTo, { recursive: true });

  const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      attempts++;
      current = faults.shift();
      if (current?.at === "rcpt" && "code" in current) return callback(smtpError(current.code, current.message));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const fault = current;
        current = undefined;
        if (fault?.at === "data" && "drop" in fault) {
          // The whole message arrived, and the client never hears back.
          for (const connection of server.connections) if (connection.id === session.id) connection._socket.destroy();
          return;
        }
        if (fault?.at === "data") return callback(smtpError(fault.code, fault.message));
        const raw = Buffer.concat(chunks);
        void simpleParser(raw).then((parsed) => {
          received.push(parsed);
          if (o.saveTo) writeFileSync(path.join(o.saveTo, `${String(received.length).padStart(4, "0")}.eml`), raw);
          for (const wake of waiters) wake();
          callback(null, `OK: queued as SINK${received.length}`);
        }, callback);
      });
    },
  });
  server.on("error", () => {});
  const port = await new Promise<number>((resolve, reject) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.server.address();
      return typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"));
    });
  });

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get attempts() {
      return attempts;
    },
    failNext: (...next) => void faults.push(...next),
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} accepted messages, saw ${received.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, left);
          function done() {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
      return received.slice(0, count);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
