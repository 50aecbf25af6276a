import "server-only";
import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * Serves one PGlite database over the Postgres wire protocol to many client connections.
 *
 * PGlite has a single backend session, so connections are multiplexed onto it. The unit of work
 * is what a client sends up to and including Sync (extended protocol) or one simple Query: it runs
 * whole, so one client's Parse/Bind/Execute never interleaves with another's. A client that leaves
 * the session inside a transaction keeps it to itself until the transaction ends; if it
 * disconnects first, the transaction is rolled back. A client's Terminate closes only its socket.
 * (The community socket server interleaves single messages, which garbles concurrent results:
 * docs/decisions/002-prisma-rust-free-and-embedded-postgres.md.)
 */
const SSL_REQUEST = 80_877_103;
const GSS_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const PARSE = 0x50; // 'P'
const TERMINATE = 0x58; // 'X'
const FLUSH = 0x48; // 'H': the client waits for output before it sends Sync
const PASSWORD = 0x70; // 'p': answers the authentication request

export type PgliteServer = {
  port: number;
  stop: () => Promise<void>;
  /** Statements received so far (each Parse or simple Query), for benchmarks. */
  statements: () => number;
};

export async function servePglite(db: PGlite, options: { port?: number; host?: string } = {}): Promise<PgliteServer> {
  await db.waitReady;
  const session = new SessionLock();
  const sockets = new Set<Socket>();
  const counter = { statements: 0 };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const connection = new Connection(db, socket, session, counter);
    socket.on("data", (chunk) => connection.receive(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      sockets.delete(socket);
      void connection.closed();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("The embedded database server has no TCP address.");
  return {
    port: address.port,
    statements: () => counter.statements,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await session.idle();
    },
  };
}

/** Who holds PGlite's single session: nobody, a running unit, or a connection inside a transaction. */
class SessionLock {
  private owner: Connection | null = null;
  private waiting: { who: Connection; resume: () => void }[] = [];

  async acquire(who: Connection): Promise<void> {
    if (this.owner === who) return;
    if (!this.owner) {
      this.owner = who;
      return;
    }
    await new Promise<void>((resume) => this.waiting.push({ who, resume }));
  }

  release(who: Connection): void {
    if (this.owner !== who) return;
    const next = this.waiting.shift();
    this.owner = next?.who ?? null;
    next?.resume();
  }

  forget(who: Connection): void {
    this.waiting = this.waiting.filter((w) => w.who !== who);
  }

  async idle(): Promise<void> {
    while (this.owner) await new Promise((r) => setTimeout(r, 5));
  }
}

class Connection {
  private buffer = Buffer.alloc(0);
  private started = false;
  private pending: Buffer[] = [];
  private chain: Promise<void> = Promise.resolve();
  private gone = false;

  constructor(
    private readonly db: PGlite,
    private readonly socket: Socket,
    private readonly session: SessionLock,
    private readonly counter: { statements: number },
  ) {}

  receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const message = this.nextMessage();
      if (!message) return;
      this.chain = this.chain
        .then(() => this.handle(message))
        .catch(() => {
          this.socket.destroy();
        });
    }
  }

  async closed(): Promise<void> {
    this.gone = true;
    this.session.forget(this);
    await this.chain;
    // A transaction left open by a vanished client must not hold the shared session.
    await this.session.acquire(this);
    try {
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    } finally {
      this.session.release(this);
    }
  }

  private nextMessage(): Buffer | null {
    if (!this.started) {
      if (this.buffer.length < 8) return null;
      const length = this.buffer.readInt32BE(0);
      if (this.buffer.length < length) return null;
      const message = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      return message;
    }
    if (this.buffer.length < 5) return null;
    const length = 1 + this.buffer.readInt32BE(1);
    if (this.buffer.length < length) return null;
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return message;
  }

  private async handle(message: Buffer): Promise<void> {
    if (this.gone) return;
    if (!this.started) {
      const code = message.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSS_REQUEST) {
        this.socket.write("N"); // no TLS on loopback; the client continues in plain text
        return;
      }
      if (code === CANCEL_REQUEST) {
        this.socket.end();
        return;
      }
      this.started = true;
      // PGlite asks for a password after the startup message. Another client's startup in between
      // would reset that handshake, so the session stays held until the password is answered.
      await this.run([message], (output) => output[0] === 0x52 && Buffer.from(output).readInt32BE(5) !== 0);
      return;
    }
    const type = message[0];
    if (type === TERMINATE) {
      this.socket.end();
      return;
    }
    if (type === PARSE || type === QUERY) this.counter.statements++;
    this.pending.push(message);
    if (type === SYNC || type === QUERY || type === FLUSH || type === PASSWORD) {
      const unit = this.pending;
      this.pending = [];
      await this.run(unit, () => type === FLUSH);
    }
  }

  /** Runs a unit with the session held; keeps holding it inside a transaction, or while keepHolding says so. */
  private async run(unit: Buffer[], keepHolding: (output: Uint8Array) => boolean): Promise<void> {
    await this.session.acquire(this);
    const output: Uint8Array[] = [];
    let hold = false;
    try {
      for (const message of unit) output.push(await this.db.execProtocolRaw(new Uint8Array(message)));
      hold = keepHolding(output[0] ?? new Uint8Array(0));
    } finally {
      if (!hold && !this.db.isInTransaction()) this.session.release(this);
    }
    if (!this.gone && this.socket.writable) this.socket.write(Buffer.concat(output));
  }
}
