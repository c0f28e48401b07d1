/**
 * The desk commands (npm run token, import:wire, db:status, ...) beside a running server on the
 * embedded database. PGlite is PostgreSQL inside the server's process and must never be opened by
 * a second process; so the server also speaks the PostgreSQL wire protocol on a Unix socket in the
 * data folder, where PostgreSQL itself would put one (`.s.PGSQL.5432`, so `psql -h <data folder>`
 * finds it too), and the commands connect through it with the pg driver, as they do to a
 * PostgreSQL server. With no server answering there, they open the folder directly.
 *
 * PGlite has one session for everyone: the server's own queries and every socket connection run
 * in the same backend. @electric-sql/pglite-socket frames the protocol (startup, SSL refusal,
 * cancel requests, messages split over packets, idle connections); which session runs when is
 * decided here, by SessionGate, since the package's own queue lets others in between the
 * messages of one statement (Parse, Bind, Execute, Sync arrive one by one) and lets the server's
 * queries run inside a socket session's transaction, and its sessions into the server's.
 */
import { chmodSync, existsSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from "@electric-sql/pglite-socket";
import type { Logger } from "pino";

/** The port in the socket's name: PostgreSQL's default, which psql and pg assume. */
const SOCKET_PORT = 5432;
/**
 * A connection that sends nothing for this long is closed, rolling back any transaction it left
 * open: a stalled command holding a transaction (which holds up the server) is cut off by then.
 * A desk command never waits this long between the statements of a transaction.
 */
const IDLE_TIMEOUT_MS = 30_000;
/** Desk commands open a connection or two each; the cap bounds what a runaway script can open. */
const MAX_CONNECTIONS = 32;

export function embeddedSocketPath(dataDir: string): string {
  return path.join(dataDir, `.s.PGSQL.${SOCKET_PORT}`);
}

/** The URL the pg driver reaches the socket by: `host` names the socket's folder. */
export function embeddedSocketUrl(dataDir: string): string {
  return `postgresql://postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(dataDir)}`;
}

/**
 * Whether a server answers on the data folder's socket. A socket file left behind by a server
 * that was killed refuses connections, and counts as none.
 */
export function embeddedSocketAnswers(dataDir: string): Promise<boolean> {
  const file = embeddedSocketPath(dataDir);
  if (!existsSync(file)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const probe = net.connect(file);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}

const READY_FOR_QUERY = 0x5a; // 'Z'
const NOTIFICATION_RESPONSE = 0x41; // 'A'
const SYNC = Uint8Array.of(0x53, 0, 0, 0, 4); // 'S', length 4

/** A simple-protocol Query message. */
function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, "utf8");
  const message = Buffer.alloc(5 + text.length);
  message.write("Q", 0, "latin1");
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}

/**
 * Reads the backend's answer to one message as it streams out: the transaction status of its
 * last ReadyForQuery, and the notifications in it, which the backend hands to whichever session
 * is talking when they are due, a socket's included.
 */
class BackendReply {
  /** 'I' idle, 'T' in a transaction, 'E' in a failed one; undefined until a ReadyForQuery. */
  status: string | undefined;
  private pending = Buffer.alloc(0);

  constructor(private readonly onNotification: (channel: string, payload: string) => void) {}

  push(chunk: Uint8Array): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 5) {
      const end = 1 + this.pending.readInt32BE(1);
      if (this.pending.length < end) return;
      const body = this.pending.subarray(5, end);
      if (this.pending[0] === READY_FOR_QUERY) this.status = String.fromCharCode(body[0]!);
      else if (this.pending[0] === NOTIFICATION_RESPONSE) {
        // Int32 sender pid, then the channel and the payload as C strings.
        const channelEnd = body.indexOf(0, 4);
        const payloadEnd = body.indexOf(0, channelEnd + 1);
        this.onNotification(body.toString("utf8", 4, channelEnd), body.toString("utf8", channelEnd + 1, payloadEnd));
      }
      this.pending = this.pending.subarray(end);
    }
  }
}

/**
 * One session at a time: a socket connection that starts a statement or a transaction holds the
 * database until the backend is idle again (ReadyForQuery with status I), and meanwhile nothing
 * else runs, neither another connection nor the server's own queries. It holds PGlite's
 * transaction lock for that, the one PGlite's query() and transaction() take: a server
 * transaction therefore runs whole before or after a command's statement or transaction, never
 * interleaved with it. (_runExclusiveTransaction is PGlite's internal API, typed and stable in
 * the pinned version; pglite-socket's own queue uses its sibling runExclusive.)
 *
 * PGLiteSocketHandler calls enqueue for every message, clearQueueForHandler and
 * clearTransactionIfNeeded when its connection ends.
 */
class SessionGate {
  private holder: { handlerId: number; release: () => void } | undefined;
  /** Each connection's messages run one after another, in the order they arrived. */
  private readonly sessions = new Map<number, Promise<unknown>>();
  private readonly disconnected = new Set<number>();

  constructor(
    private readonly pglite: PGlite,
    private readonly onNotification: (channel: string, payload: string) => void,
  ) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    const previous = this.sessions.get(handlerId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.run(handlerId, message, onData));
    this.sessions.set(handlerId, run);
    return run;
  }

  clearQueueForHandler(handlerId: number): void {
    this.disconnected.add(handlerId);
  }

  /** A connection ended: whatever it left half done (a statement before its Sync, a transaction) is undone. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    await this.sessions.get(handlerId)?.catch(() => undefined);
    this.sessions.delete(handlerId);
    this.disconnected.delete(handlerId);
    if (this.holder?.handlerId !== handlerId) return;
    try {
      await this.pglite.runExclusive(async () => {
        await this.pglite.execProtocolRaw(SYNC);
        if (this.pglite.isInTransaction()) await this.pglite.execProtocolRaw(simpleQuery("ROLLBACK"));
      });
    } finally {
      this.release(handlerId);
    }
  }

  private async run(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (this.disconnected.has(handlerId)) throw new Error("Handler disconnected");
    if (this.holder?.handlerId !== handlerId) await this.acquire(handlerId);
    const reply = new BackendReply(this.onNotification);
    let size = 0;
    await this.pglite.runExclusive(() =>
      this.pglite.execProtocolRawStream(message, {
        onRawData: (data) => {
          size += data.length;
          reply.push(data);
          onData(data);
        },
      }),
    );
    if (reply.status === "I") this.release(handlerId);
    return size;
  }

  private acquire(handlerId: number): Promise<void> {
    return new Promise((acquired) => {
      void this.pglite._runExclusiveTransaction(
        () =>
          new Promise<void>((release) => {
            this.holder = { handlerId, release };
            acquired();
          }),
      );
    });
  }

  private release(handlerId: number): void {
    if (this.holder?.handlerId !== handlerId) return;
    const { release } = this.holder;
    this.holder = undefined;
    release();
  }
}

export interface EmbeddedSocketOptions {
  /** Each notification a socket session's commit delivers, for the server's own listeners. */
  onNotification(channel: string, payload: string): void;
  log: Logger;
}

/**
 * Serves the open PGlite on the socket in its data folder until the returned function is called.
 * Call it only while holding the folder's lock: a socket file found there is then one a killed
 * server left behind, and is replaced. If the socket cannot be made (a folder path too long for a
 * Unix socket, say), the server runs without it and the commands refuse, as before, with the reason logged.
 */
export async function serveEmbeddedSocket(pglite: PGlite, dataDir: string, options: EmbeddedSocketOptions): Promise<() => Promise<void>> {
  const file = embeddedSocketPath(dataDir);
  rmSync(file, { force: true });
  const gate = new SessionGate(pglite, options.onNotification);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = net.createServer((socket) => {
    const handler = new PGLiteSocketHandler({
      // Only the methods above are called; the type names the package's own (unexported) queue class.
      queryQueue: gate as unknown as PGLiteSocketHandlerOptions["queryQueue"],
      closeOnDetach: true,
      idleTimeout: IDLE_TIMEOUT_MS,
    });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener("close", forget);
    handler.addEventListener("error", forget);
    void handler.attach(socket);
  });
  server.maxConnections = MAX_CONNECTIONS;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(file, resolve);
    });
  } catch (error) {
    options.log.warn({ err: error, socket: file }, "desk commands cannot reach the embedded database while the server runs");
    return async () => {};
  }
  // Only this user may connect: the socket asks for no password.
  chmodSync(file, 0o600);
  const removeFile = () => rmSync(file, { force: true });
  // Even when the process ends without closing the database, a clean exit leaves no socket file.
  process.once("exit", removeFile);
  options.log.info({ socket: file }, "desk commands reach the embedded database through its socket");
  return async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...handlers].map((handler) => handler.detach(true)));
    await closed;
    removeFile();
    process.off("exit", removeFile);
  };
}
