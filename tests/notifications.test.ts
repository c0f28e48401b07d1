import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { testDatabaseAdminUrl } from "../src/config.js";
import { connectDatabase, type DatabaseHandle } from "../src/db/client.js";
import { replicaFreshnessBarrier } from "../src/db/freshness.js";
import { postgresNotifications, type ChannelSubscriber } from "../src/db/notifications.js";
import { createPostgresCluster, type PostgresCluster } from "./support/cluster.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";
import { waitUntil } from "./support/wait.js";

const WAIT_MS = 60_000;

/** A subscriber that records what it hears. */
function recorder() {
  const heard = { payloads: [] as string[], listening: 0, interrupted: 0 };
  const subscriber: ChannelSubscriber = {
    notified: (payload) => heard.payloads.push(payload),
    listening: () => (heard.listening += 1),
    interrupted: () => (heard.interrupted += 1),
  };
  return { heard, subscriber };
}

describe("LISTEN/NOTIFY through the database layer", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = await connectDatabase(database.target);
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  const notify = (channel: string, payload: string) => handle.prisma.$executeRaw`SELECT pg_notify(${channel}, ${payload})`;

  it("delivers what a transaction notified when it commits, nothing of one rolled back, to each channel's subscribers", async () => {
    const desk = recorder();
    const alsoDesk = recorder();
    const other = recorder();
    handle.notifications.subscribe("desk_activity", desk.subscriber);
    handle.notifications.subscribe("desk_activity", alsoDesk.subscriber);
    handle.notifications.subscribe("other_channel", other.subscriber);
    await waitUntil(() => desk.heard.listening + alsoDesk.heard.listening + other.heard.listening === 3, "LISTEN to take effect", WAIT_MS);

    await handle.prisma
      .$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_notify('desk_activity', 'rolled back')`;
        throw new Error("roll back");
      })
      .catch(() => {});
    await handle.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_notify('desk_activity', 'committed')`;
      // Nothing is delivered before the commit.
      expect(desk.heard.payloads).toEqual([]);
    });
    await notify("other_channel", "elsewhere");
    // Deliveries come in commit order: once the last is in, anything before it would be too.
    await waitUntil(() => other.heard.payloads.length === 1, "the last notification", WAIT_MS);
    expect(desk.heard.payloads).toEqual(["committed"]);
    expect(alsoDesk.heard.payloads).toEqual(["committed"]);
    expect(other.heard.payloads).toEqual(["elsewhere"]);
    expect(desk.heard.interrupted).toBe(0);
  });

  it("stops delivering to a subscriber that unsubscribed", async () => {
    const leaving = recorder();
    const staying = recorder();
    const unsubscribe = handle.notifications.subscribe("story_changed", leaving.subscriber);
    handle.notifications.subscribe("story_changed", staying.subscriber);
    await waitUntil(() => leaving.heard.listening === 1 && staying.heard.listening === 1, "LISTEN to take effect", WAIT_MS);
    unsubscribe();
    await notify("story_changed", "after");
    await waitUntil(() => staying.heard.payloads.length === 1, "the notification", WAIT_MS);
    expect(leaving.heard.payloads).toEqual([]);
  });
});

// On the embedded database LISTEN runs in process, with no connection to share.
if (testDatabaseAdminUrl()) {
  describe("the listening connection to a PostgreSQL server", () => {
    it("sends one statement at a time on it, however many channels are listened to and left at once", async () => {
      // Statements in flight on each client that has a notification listener: the listening one.
      const inFlight = new Map<pg.Client, number>();
      let most = 0;
      const send = pg.Client.prototype.query;
      const query = vi.spyOn(pg.Client.prototype, "query");
      query.mockImplementation(function (this: pg.Client, ...args: unknown[]) {
        const result = (send as (...a: unknown[]) => unknown).apply(this, args);
        if (this.listenerCount("notification") === 0 || !(result instanceof Promise)) return result;
        inFlight.set(this, (inFlight.get(this) ?? 0) + 1);
        most = Math.max(most, inFlight.get(this)!);
        const done = () => void inFlight.set(this, inFlight.get(this)! - 1);
        result.then(done, done);
        return result;
      } as typeof pg.Client.prototype.query);
      const database = await createTestDatabase();
      const handle = await connectDatabase(database.target);
      try {
        const channels = ["story_changed", "desk_activity", "public_content", "other_channel"];
        const subscribers = channels.map(() => recorder());
        const unsubscribes = channels.map((channel, index) => handle.notifications.subscribe(channel, subscribers[index]!.subscriber));
        await waitUntil(() => subscribers.every(({ heard }) => heard.listening === 1), "LISTEN on every channel", WAIT_MS);
        for (const unsubscribe of unsubscribes.slice(1)) unsubscribe();
        handle.notifications.subscribe("late_channel", recorder().subscriber);
        await handle.prisma.$executeRaw`SELECT pg_notify('story_changed', 'still listening')`;
        await waitUntil(() => subscribers[0]!.heard.payloads.length === 1, "the notification", WAIT_MS);
        expect(inFlight.size).toBe(1);
        expect(most).toBe(1);
      } finally {
        query.mockRestore();
        await handle.close();
        await database.drop();
      }
    });

    it("takes a connection that stops answering, with no word from either side, for lost, and listens again on a new one", async () => {
      const database = await createTestDatabase();
      const handle = await connectDatabase(database.target);
      if (database.target.kind !== "postgres") throw new Error("this test needs a PostgreSQL server");
      const proxy = await proxyTo(new URL(database.target.url));
      const notifications = postgresNotifications(proxy.url, { everyMs: 200, withinMs: 2000 });
      try {
        const { heard, subscriber } = recorder();
        notifications.subscribe("desk_activity", subscriber);
        await waitUntil(() => heard.listening > 0, "LISTEN to take effect", WAIT_MS);
        const before = { ...heard };
        proxy.silenceOpenConnections();
        await waitUntil(() => heard.interrupted > before.interrupted, "the silent connection to be found out", WAIT_MS);
        await waitUntil(() => heard.listening > before.listening, "LISTEN on a new connection", WAIT_MS);
        await handle.prisma.$executeRaw`SELECT pg_notify('desk_activity', 'heard again')`;
        await waitUntil(() => heard.payloads.includes("heard again"), "the notification on the new connection", WAIT_MS);
      } finally {
        // The proxy first: ending a connection it silenced would wait for ever.
        proxy.close();
        await notifications.close();
        await handle.close();
        await database.drop();
      }
    });
  });
}

/**
 * A TCP proxy to the database server whose open connections can be silenced: nothing more passes
 * either way and neither side hears of it, as when a network fault drops every packet. New
 * connections pass as before.
 */
async function proxyTo(target: URL) {
  const pairs: [net.Socket, net.Socket][] = [];
  /** Kept only to be destroyed at the end. */
  const silenced: net.Socket[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop);
    upstream.on("error", drop);
    pairs.push([client, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    silenceOpenConnections() {
      for (const [client, upstream] of pairs.splice(0)) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
        silenced.push(client, upstream);
      }
    },
    close() {
      server.close();
      for (const socket of [...silenced, ...pairs.flat()]) socket.destroy();
    },
  };
}

describe("the freshness barrier for read replicas", () => {
  it("reads the primary's WAL position when asked, and waits for the replicas to replay that far", async () => {
    const database = await createTestDatabase();
    const handle = await connectDatabase(database.target);
    try {
      const positions: string[] = [];
      let replayed: () => void = () => {};
      const barrier = replicaFreshnessBarrier(handle.prisma, async (lsn) => {
        positions.push(lsn);
        await new Promise<void>((resolve) => (replayed = resolve));
      });
      let caughtUp = false;
      const waiting = barrier.readsCaughtUp().then(() => (caughtUp = true));
      await waitUntil(() => positions.length === 1, "the primary's position", WAIT_MS);
      expect(positions[0]).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      expect(caughtUp).toBe(false);
      replayed();
      await waiting;
      expect(caughtUp).toBe(true);
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});

// Only a server can restart under a listener; the embedded database lives and dies with its process.
if (testDatabaseAdminUrl()) {
  describe("a PostgreSQL restart under a listener", () => {
    let cluster: PostgresCluster;
    let handle: DatabaseHandle;

    beforeAll(async () => {
      cluster = await createPostgresCluster();
      handle = await connectDatabase(cluster.target);
    });
    afterAll(async () => {
      try {
        await handle?.close();
      } finally {
        await cluster?.drop();
      }
    });

    it("tells subscribers listening stopped, reconnects once the server is back, says listening started again, and delivers again", async () => {
      const { heard, subscriber } = recorder();
      handle.notifications.subscribe("story_changed", subscriber);
      await waitUntil(() => heard.listening === 1, "LISTEN to take effect", WAIT_MS);
      await cluster.stop();
      try {
        await waitUntil(() => heard.interrupted === 1, "the loss of the listening connection", WAIT_MS);
      } finally {
        await cluster.start();
      }
      // Whatever was notified meanwhile is lost; listening() again says so.
      await waitUntil(() => heard.listening === 2, "listening again", WAIT_MS);
      await handle.prisma.$executeRaw`SELECT pg_notify('story_changed', 'after the restart')`;
      await waitUntil(() => heard.payloads.length === 1, "the notification", WAIT_MS);
      expect(heard).toEqual({ payloads: ["after the restart"], listening: 2, interrupted: 1 });
    });
  });
}
