import { randomBytes } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import {
  CANCEL_REQUEST,
  fatalError,
  FLUSH,
  GSS_REQUEST,
  MAX_PRE_AUTH_BYTES,
  MAX_STARTUP_BYTES,
  md5PasswordMatches,
  md5Request,
  nextFrame,
  PARSE,
  PASSWORD,
  passwordMessage,
  ProtocolViolation,
  QUERY,
  SSL_REQUEST,
  startupParameters,
  SYNC,
  TERMINATE,
} from "./pglite-wire";

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
 *
 * Guarded (docs/decisions/017-embedded-database-password-and-limits.md): a client must answer an
 * MD5 password challenge before it reaches PGlite (PGlite itself accepts any password); message
 * lengths are checked before anything is buffered; a handshake that does not finish in time, and
 * a client that holds the session outside a transaction and goes quiet, are disconnected.
 */
export type PgliteServer = {
  port: number;
  /** The password every client must present. */
  password: string;
  /** A connection URL with the password, for node-postgres and Prisma. */
  url: string;
  stop: () => Promise<void>;
  /** Statements received so far (each Parse or simple Query), for benchmarks. */
  statements: () => number;
};

export type PgliteServerOptions = {
  port?: number;
  host?: string;
  /** Generated (random) when not given. */
  password?: string;
  handshakeTimeoutMs?: number;
  /** How long a client may hold the session outside a transaction without sending anything. */
  idleHoldTimeoutMs?: number;
  maxMessageBytes?: number;
};

const DEFAULTS = { handshakeTimeoutMs: 10_000, idleHoldTimeoutMs: 10_000, maxMessageBytes: 64 * 1024 * 1024 };

export function embeddedDatabaseUrl(port: number, password: string, host = "127.0.0.1") {
  return `postgresql://postgres:${encodeURIComponent(password)}@${host}:${port}/postgres?sslmode=disable`;
}

export async function servePglite(db: PGlite, options: PgliteServerOptions = {}): Promise<PgliteServer> {
  await db.waitReady;
  const limits = { ...DEFAULTS, ...options, password: options.password ?? randomBytes(24).toString("base64url") };
  const session = new SessionLock();
  const sockets = new Set<Socket>();
  const counter = { statements: 0 };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const connection = new Connection(db, socket, session, counter, limits);
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
    password: limits.password,
    url: embeddedDatabaseUrl(address.port, limits.password),
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

type Limits = Required<Omit<PgliteServerOptions, "port" | "host">>;

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  /** new → (startup) → auth → (password) → ready */
  private state: "new" | "auth" | "ready" = "new";
  private startup: { message: Buffer; user: string; salt: Buffer } | null = null;
  private pending: Buffer[] = [];
  private chain: Promise<void> = Promise.resolve();
  private gone = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: PGlite,
    private readonly socket: Socket,
    private readonly session: SessionLock,
    private readonly counter: { statements: number },
    private readonly limits: Limits,
  ) {
    this.arm(limits.handshakeTimeoutMs);
  }

  receive(chunk: Buffer): void {
    if (this.gone) return;
    if (this.state === "ready") this.disarm();
    this.buffer = Buffer.concat([this.buffer, chunk]);
    try {
      for (;;) {
        const frame = nextFrame(this.buffer, this.framing());
        if (!frame) return;
        this.buffer = frame.rest;
        const message = frame.message;
        this.chain = this.chain
          .then(() => this.handle(message))
          .catch(() => {
            this.socket.destroy();
          });
      }
    } catch (error) {
      if (error instanceof ProtocolViolation) this.fail(error.sqlState, error.message);
      else this.socket.destroy();
    }
  }

  async closed(): Promise<void> {
    this.gone = true;
    this.disarm();
    this.session.forget(this);
    await this.chain;
    if (this.state !== "ready") return;
    // A transaction left open by a vanished client must not hold the shared session.
    await this.session.acquire(this);
    try {
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    } finally {
      this.session.release(this);
    }
  }

  private framing() {
    if (this.state === "new") return { typed: false, max: MAX_STARTUP_BYTES };
    return { typed: true, max: this.state === "auth" ? MAX_PRE_AUTH_BYTES : this.limits.maxMessageBytes };
  }

  private arm(ms: number) {
    this.disarm();
    this.timer = setTimeout(() => this.socket.destroy(), ms);
    this.timer.unref();
  }

  private disarm() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private fail(sqlState: string, message: string) {
    this.gone = true;
    this.buffer = Buffer.alloc(0);
    if (this.socket.writable) this.socket.end(fatalError(sqlState, message));
    this.socket.destroy();
  }

  private async handle(message: Buffer): Promise<void> {
    if (this.gone) return;
    if (this.state === "new") return this.handleStartup(message);
    if (this.state === "auth") return this.authenticate(message);
    const type = message[0];
    if (type === TERMINATE) {
      this.socket.end();
      return;
    }
    if (type === PARSE || type === QUERY) this.counter.statements++;
    this.pending.push(message);
    if (type === SYNC || type === QUERY || type === FLUSH) {
      const unit = this.pending;
      this.pending = [];
      await this.run(unit, type === FLUSH);
    }
  }

  private handleStartup(message: Buffer) {
    const code = message.readInt32BE(4);
    if (code === SSL_REQUEST || code === GSS_REQUEST) {
      this.socket.write("N"); // no TLS on loopback; the client continues in plain text
      return;
    }
    if (code === CANCEL_REQUEST) {
      this.socket.end();
      return;
    }
    // Our own challenge: nothing reaches PGlite (or holds its session) before the password.
    const salt = randomBytes(4);
    this.startup = { message, user: startupParameters(message).user ?? "", salt };
    this.state = "auth";
    this.socket.write(md5Request(salt));
  }

  private async authenticate(message: Buffer) {
    const startup = this.startup!;
    if (message[0] !== PASSWORD || !md5PasswordMatches(message, { user: startup.user, password: this.limits.password, salt: startup.salt })) {
      this.fail("28P01", `password authentication failed for user "${startup.user.slice(0, 63)}"`);
      return;
    }
    this.disarm();
    await this.session.acquire(this);
    let output: Uint8Array;
    try {
      // PGlite asks for a password of its own after the startup message and accepts any.
      await this.db.execProtocolRaw(new Uint8Array(startup.message));
      output = await this.db.execProtocolRaw(new Uint8Array(passwordMessage("embedded")));
    } finally {
      if (!this.db.isInTransaction()) this.session.release(this);
    }
    this.state = "ready";
    this.startup = null;
    if (!this.gone && this.socket.writable) this.socket.write(output);
  }

  /** Runs a unit with the session held; keeps holding it inside a transaction, or after a Flush. */
  private async run(unit: Buffer[], hold: boolean): Promise<void> {
    await this.session.acquire(this);
    const output: Uint8Array[] = [];
    let held = false;
    try {
      for (const message of unit) output.push(await this.db.execProtocolRaw(new Uint8Array(message)));
      held = hold || this.db.isInTransaction();
      // Holding the only session outside a transaction is allowed for a moment, not forever.
      if (hold && !this.db.isInTransaction()) this.arm(this.limits.idleHoldTimeoutMs);
    } finally {
      if (!held) this.session.release(this);
    }
    if (!this.gone && this.socket.writable) this.socket.write(Buffer.concat(output));
  }
}
