import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/**
 * PostgreSQL's LISTEN/NOTIFY, for what has to reach every API instance: a NOTIFY sent by any
 * session (a trigger, another instance, psql) is delivered when its transaction commits, and never
 * for one that rolls back. Each instance holds one listening connection and fans each
 * notification out in process to the subscribers of its channel. Notifications sent while that
 * connection is down are lost, so subscribers learn when listening starts and stops.
 */
export interface ChannelSubscriber {
  /** A notification on the channel; it must not throw. */
  notified(payload: string): void;
  /**
   * LISTEN is in effect: every notification committed from now on arrives. Called again after each
   * reconnection, since whatever was notified in between has been lost.
   */
  listening(): void;
  /** The listening connection was lost: notifications are missed until listening() is called again. */
  interrupted(error: unknown): void;
}

export interface Notifications {
  /** Listens on the channel (connecting when need be); returns the function that stops this subscriber. */
  subscribe(channel: string, subscriber: ChannelSubscriber): () => void;
  /** Ends the listening connection; subscribers hear nothing more. */
  close(): Promise<void>;
}

/** Channel names are lower-case identifiers, the same unquoted in SQL and quoted here. */
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

class Subscribers {
  private readonly byChannel = new Map<string, Set<ChannelSubscriber>>();

  /** Adds one; true when it is the channel's first. */
  add(channel: string, subscriber: ChannelSubscriber): boolean {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`A channel name is a lower-case identifier, got "${channel}"`);
    const subscribers = this.byChannel.get(channel) ?? new Set();
    subscribers.add(subscriber);
    this.byChannel.set(channel, subscribers);
    return subscribers.size === 1;
  }

  /** Removes one; true when the channel has none left. */
  remove(channel: string, subscriber: ChannelSubscriber): boolean {
    const subscribers = this.byChannel.get(channel);
    if (!subscribers?.delete(subscriber)) return false;
    if (subscribers.size > 0) return false;
    this.byChannel.delete(channel);
    return true;
  }

  has(channel: string, subscriber: ChannelSubscriber): boolean {
    return this.byChannel.get(channel)?.has(subscriber) ?? false;
  }

  channels(): string[] {
    return [...this.byChannel.keys()];
  }

  /** Calls each subscriber of the channel, or of every channel; a copy, so one may unsubscribe meanwhile. */
  each(channel: string | undefined, call: (subscriber: ChannelSubscriber) => void): void {
    const channels = channel === undefined ? [...this.byChannel.values()] : [this.byChannel.get(channel) ?? []];
    for (const subscriber of channels.flatMap((subscribers) => [...subscribers])) call(subscriber);
  }
}

const ignore = () => {};

/** Waits after a failed connection attempt: doubling from the first delay up to the last. */
const RETRY_DELAY_MS = { first: 100, max: 5000 };

/**
 * How often the listening connection is asked a statement, and how long it has to answer. A
 * connection that a network fault broke without a word (no reset reached either side) brings
 * nothing, and TCP keepalive takes hours to tell; until it is found out, subscribers would trust
 * that no news is no change.
 */
export interface Heartbeat {
  everyMs: number;
  withinMs: number;
}
const HEARTBEAT: Heartbeat = { everyMs: 10_000, withinMs: 5_000 };

/**
 * On a PostgreSQL server: a dedicated connection, opened on the first subscription. It is never
 * in a pool, since LISTEN belongs to the session. When it breaks (the server restarted, the
 * network failed) subscribers hear interrupted(), and it reconnects with backoff until it is back.
 */
class PostgresNotifications implements Notifications {
  private readonly subscribers = new Subscribers();
  /** The connection while it is up. */
  private client: pg.Client | undefined;
  /** Each channel's LISTEN on the current connection. */
  private listens = new Map<string, Promise<void>>();
  /**
   * The last statement sent on the current connection: each waits for the one before, since a
   * connection runs one at a time and pg (to be refused in pg 9) warns of statements queued on it.
   */
  private lastStatement: Promise<void> = Promise.resolve();
  private connecting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private retryDelayMs = RETRY_DELAY_MS.first;
  private closed = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly heartbeat: Heartbeat,
  ) {}

  subscribe(channel: string, subscriber: ChannelSubscriber): () => void {
    this.subscribers.add(channel, subscriber);
    if (this.client) this.listen(this.client, channel, subscriber);
    else this.connect();
    return () => {
      if (!this.subscribers.remove(channel, subscriber)) return;
      this.listens.delete(channel);
      if (this.client) this.send(this.client, `UNLISTEN ${this.client.escapeIdentifier(channel)}`).catch(ignore);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeatTimer);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(ignore);
  }

  /** LISTENs once per channel on the connection; tells the subscriber once that is in effect. */
  private listen(client: pg.Client, channel: string, subscriber: ChannelSubscriber): void {
    let listened = this.listens.get(channel);
    if (!listened) {
      listened = this.send(client, `LISTEN ${client.escapeIdentifier(channel)}`);
      this.listens.set(channel, listened);
    }
    // A failed LISTEN means a lost connection, which the client's error handler deals with.
    listened.then(() => {
      if (this.client === client && this.subscribers.has(channel, subscriber)) subscriber.listening();
    }, ignore);
  }

  /** Sends a statement on the connection once the one before it has finished. */
  private send(client: pg.Client, statement: string): Promise<void> {
    const sent = this.lastStatement.then(() => client.query(statement)).then(ignore);
    this.lastStatement = sent.catch(ignore);
    return sent;
  }

  private connect(): void {
    if (this.closed || this.connecting || this.client || this.retry) return;
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    client.on("notification", (message) =>
      this.subscribers.each(message.channel, (subscriber) => subscriber.notified(message.payload ?? "")),
    );
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, new Error("The listening connection was closed")));
    this.connecting = client.connect().then(
      () => {
        this.connecting = undefined;
        if (this.closed) return void client.end().catch(ignore);
        this.client = client;
        this.listens = new Map();
        this.lastStatement = Promise.resolve();
        this.retryDelayMs = RETRY_DELAY_MS.first;
        this.heartbeatTimer = setInterval(() => this.checkAlive(client), this.heartbeat.everyMs);
        this.heartbeatTimer.unref();
        for (const channel of this.subscribers.channels()) {
          this.subscribers.each(channel, (subscriber) => this.listen(client, channel, subscriber));
        }
      },
      () => {
        this.connecting = undefined;
        this.retryLater();
      },
    );
  }

  /** Asks the connection a statement; one that gives no answer in time is taken for lost. */
  private checkAlive(client: pg.Client): void {
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      // Once more round the event loop first: after a stall, timers run before sockets are read,
      // and the answer may be waiting there.
      const giveUp = () => reject(new Error(`The listening connection gave no answer within ${this.heartbeat.withinMs} ms`));
      timer = setTimeout(() => setImmediate(giveUp), this.heartbeat.withinMs);
    });
    Promise.race([this.send(client, "SELECT 1"), silent])
      .catch((error: unknown) => this.lost(client, error))
      .finally(() => clearTimeout(timer));
  }

  private lost(client: pg.Client, error: unknown): void {
    if (client !== this.client) return;
    this.client = undefined;
    clearInterval(this.heartbeatTimer);
    client.end().catch(ignore);
    this.subscribers.each(undefined, (subscriber) => subscriber.interrupted(error));
    this.retryLater();
  }

  private retryLater(): void {
    if (this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connect();
    }, this.retryDelayMs);
    this.retry.unref();
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, RETRY_DELAY_MS.max);
  }
}

/**
 * On PGlite, in this process: the embedded database delivers a notification to its own listeners
 * when the transaction that sent it commits, or, when a desk command's session on its socket
 * committed it, through deliver().
 */
class PgliteNotifications implements Notifications {
  private readonly subscribers = new Subscribers();
  /** Each channel's listen(), which resolves with the function that ends it. */
  private readonly listens = new Map<string, Promise<() => Promise<void>>>();

  constructor(private readonly pglite: PGlite) {}

  /**
   * A notification the backend handed to a desk command's session on the embedded socket
   * (src/db/embedded-socket.ts) instead of to PGlite's own listeners.
   */
  deliver(channel: string, payload: string): void {
    this.subscribers.each(channel, (each) => each.notified(payload));
  }

  subscribe(channel: string, subscriber: ChannelSubscriber): () => void {
    this.subscribers.add(channel, subscriber);
    let listened = this.listens.get(channel);
    if (!listened) {
      listened = this.pglite.listen(channel, (payload) => this.subscribers.each(channel, (each) => each.notified(payload)));
      this.listens.set(channel, listened);
    }
    listened.then(
      () => {
        if (this.subscribers.has(channel, subscriber)) subscriber.listening();
      },
      (error: unknown) => subscriber.interrupted(error),
    );
    return () => {
      if (!this.subscribers.remove(channel, subscriber)) return;
      this.listens.delete(channel);
      void this.unlisten(listened);
    };
  }

  async close(): Promise<void> {
    const listens = [...this.listens.values()];
    this.listens.clear();
    await Promise.all(listens.map((listened) => this.unlisten(listened)));
  }

  private async unlisten(listened: Promise<() => Promise<void>>): Promise<void> {
    const stop = await listened.catch(() => undefined);
    if (stop && !this.pglite.closed) await stop().catch(ignore);
  }
}

export function postgresNotifications(url: string, heartbeat: Heartbeat = HEARTBEAT): Notifications {
  return new PostgresNotifications(url, heartbeat);
}

export function pgliteNotifications(pglite: PGlite): Notifications & Pick<PgliteNotifications, "deliver"> {
  return new PgliteNotifications(pglite);
}
