import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { connectDatabase, type DatabaseHandle } from "../../src/db/client.js";
import { applyPendingMigrations } from "../../src/db/migrate/migrations.js";
import { createLogger } from "../../src/logger.js";
import { CreateStoryDocument, PublishStoryDocument, SearchStorySlugsDocument, StoryStateDocument } from "../generated/graphql.js";
import { ok, startTestApiOn } from "../support/api.js";
import { createPostgresCluster, createStreamingReplica, type PostgresCluster } from "../support/cluster.js";
import { runInProject } from "../support/command.js";
import { collectLogLines } from "../support/logs.js";
import { runAsAdmin } from "../support/postgres-admin.js";

type Api = Awaited<ReturnType<typeof startTestApiOn>>;

/** Replication and restarts take moments; the limit is for a hang, far above what a loaded machine needs. */
const POLL = { timeout: 60_000, interval: 50 };

// This file makes its own primary and streaming replica (the shared server refuses replication),
// so it runs the same whichever backend the rest of the run tests.
describe("public reads on a streaming replica", () => {
  let primary: PostgresCluster;
  let replica: PostgresCluster;
  let api: Api;
  let editor: string;
  const log = collectLogLines();
  /** A handle of the test's own on the same pair, for what the API does not serve. */
  let database: DatabaseHandle;
  const databaseLog = collectLogLines();

  beforeAll(async () => {
    primary = await createPostgresCluster();
    await applyPendingMigrations(primary.target);
    replica = await createStreamingReplica(primary);
    const env = { DATABASE_URL: primary.target.url, DATABASE_REPLICA_URLS: replica.target.url };
    api = await startTestApiOn({ target: primary.target, drop: async () => {} }, env, log.sink);
    editor = (await api.tokenFor("EDITOR")).token;
    const logger = createLogger({ environment: "test", logLevel: "info" }, databaseLog.sink);
    database = await connectDatabase(primary.target, { replicas: { urls: [replica.target.url], log: logger } });
  });
  afterAll(async () => {
    // The clusters are dropped whatever happened before, and the first failure is reported.
    const closed = await Promise.allSettled([database?.close(), api?.stop()]);
    const dropped = await Promise.allSettled([replica?.drop(), primary?.drop()]);
    const failed = [...closed, ...dropped].find((outcome) => outcome.status === "rejected");
    if (failed) throw failed.reason;
  });

  const sql = <Row>(cluster: PostgresCluster, text: string, values: unknown[] = []) => runAsAdmin<Row>(cluster.target.url, text, values);

  /** Runs the work while the replica receives the primary's changes but applies none of them. */
  async function whileReplayPaused<T>(work: () => Promise<T>): Promise<T> {
    await sql(replica, "SELECT pg_wal_replay_pause()");
    // Pausing is a request the replica honours between records; only this state says it has.
    await expect
      .poll(async () => (await sql<{ state: string }>(replica, "SELECT pg_get_wal_replay_pause_state() AS state"))[0]?.state, POLL)
      .toBe("paused");
    try {
      return await work();
    } finally {
      await sql(replica, "SELECT pg_wal_replay_resume()");
    }
  }

  /** Creates and publishes a story as the editor; returns it as published. */
  async function publishStory(headline: string) {
    const input = { headline, paragraphs: [`${headline}, in a paragraph.`] };
    const draft = ok(await api.graphql(CreateStoryDocument, { input }, editor)).createStory.story!;
    return ok(await api.graphql(PublishStoryDocument, { id: draft.id, v: draft.version }, editor)).step.story!;
  }

  const publicStatus = async (id: string) => ok(await api.graphql(StoryStateDocument, { id })).story?.status ?? null;
  const health = async () => {
    const response = await fetch(api.url.replace("/graphql", "/health"));
    return { status: response.status, body: await response.json() };
  };

  /** Publishes a story while replay is paused: the editor reads it from the primary, the public (on the replica) does not yet. */
  function publishUnseenByTheReplica(headline: string) {
    return whileReplayPaused(async () => {
      const story = await publishStory(headline);
      expect(ok(await api.graphql(StoryStateDocument, { id: story.id }, editor)).story?.status).toBe("PUBLISHED");
      expect(await publicStatus(story.id)).toBeNull();
      return story;
    });
  }

  it("sends public reads to the replica, while an editor reads their own write at once", async () => {
    const searchHits = async () => ok(await api.graphql(SearchStorySlugsDocument, { query: "quarantine wharf" })).searchStories.totalCount;
    const story = await whileReplayPaused(async () => {
      const story = await publishStory("Harbour board approves quarantine wharf");
      expect(ok(await api.graphql(StoryStateDocument, { id: story.id }, editor)).story?.status).toBe("PUBLISHED");
      expect(await publicStatus(story.id)).toBeNull();
      // Search is raw SQL in a transaction with a time limit, and goes to the replica like every other public read.
      expect(await searchHits()).toBe(0);
      return story;
    });
    await expect.poll(searchHits, POLL).toBe(1);
    expect(await publicStatus(story.id)).toBe("PUBLISHED");
  });

  it("sends a public client's queries and read transactions to the replica, and statements that write to the primary", async () => {
    const db = database.publicReads();
    const inRecovery = async (rows: Promise<{ inRecovery: boolean }[]>) => (await rows)[0]?.inRecovery;
    expect(await inRecovery(db.$queryRaw`SELECT pg_is_in_recovery() AS "inRecovery"`)).toBe(true);
    expect(await inRecovery(db.$transaction((tx) => tx.$queryRaw`SELECT pg_is_in_recovery() AS "inRecovery"`))).toBe(true);
    // A replica refuses any UPDATE, even one that matches no row.
    expect(await db.$executeRaw`UPDATE stories SET version = version WHERE false`).toBe(0);
  });

  it("resolves replicasReplayedTo only once the replica has replayed up to the primary's position", async () => {
    const behind = async (lsn: string) =>
      (await sql<{ behind: boolean }>(replica, "SELECT pg_last_wal_replay_lsn() < $1::pg_lsn AS behind", [lsn]))[0]?.behind;
    // The connections whose latest query was the router's question (pg_stat_activity keeps it while they idle).
    const asked = async () =>
      (
        await sql<{ count: number }>(
          replica,
          "SELECT count(*)::int AS count FROM pg_stat_activity WHERE query LIKE 'SELECT pg_last_wal_replay_lsn() >= %'",
        )
      )[0]?.count;
    let replayed = false;
    const { lsn, replay } = await whileReplayPaused(async () => {
      await publishStory("Council delays vote on the tram depot");
      const lsn = await database.primaryWalPosition();
      const replay = database.replicasReplayedTo(lsn).then(() => {
        replayed = true;
      });
      // Once the router has asked the replica, which is behind, the wait must still be on.
      await expect.poll(asked, POLL).toBeGreaterThan(0);
      expect(await behind(lsn)).toBe(true);
      expect(replayed).toBe(false);
      // Wrapped: an async function returning the promise itself would wait for it, with replay still paused.
      return { lsn, replay };
    });
    await replay;
    expect(await behind(lsn)).toBe(false);
    expect(databaseLog.warnings()).toEqual([]);

    const withoutReplicas = await connectDatabase(primary.target);
    try {
      await withoutReplicas.replicasReplayedTo("FFFFFFFF/FFFFFFFF");
    } finally {
      await withoutReplicas.close();
    }
  });

  it("keeps the response cache from storing what a replica that has not replayed a change still shows", async () => {
    const cached = await startTestApiOn(
      { target: primary.target, drop: async () => {} },
      {
        DATABASE_URL: primary.target.url,
        DATABASE_REPLICA_URLS: replica.target.url,
        RESPONSE_CACHE: "on",
        RESPONSE_CACHE_MAX_AGE: "3600",
        RESPONSE_CACHE_KEEP_SECONDS: "3600",
      },
    );
    try {
      const frontPage = async () => {
        const response = await fetch(
          `${cached.url}?query=${encodeURIComponent("{ stories(first: 50) { edges { node { headline } } } }")}`,
          {
            headers: { "apollo-require-preflight": "true" },
          },
        );
        return { cache: response.headers.get("x-cache"), body: JSON.stringify(await response.json()) };
      };
      // The cache stores nothing until this instance listens for changes, moments after it starts.
      await expect.poll(async () => (await frontPage()).cache, POLL).toBe("HIT");
      const headline = "Ferry fares frozen for a year";
      await whileReplayPaused(async () => {
        await publishStory(headline);
        // The change reached this instance: the cached page is gone.
        await expect.poll(async () => (await frontPage()).cache, POLL).toBe("MISS");
        // The replica still shows the page without the story, and that answer is not stored.
        const stale = await frontPage();
        expect(stale).toEqual({ cache: "MISS", body: expect.not.stringContaining(headline) });
        expect((await frontPage()).cache).toBe("MISS");
      });
      await expect.poll(async () => (await frontPage()).body, POLL).toContain(headline);
      await expect.poll(async () => (await frontPage()).cache, POLL).toBe("HIT");
      expect((await frontPage()).body).toContain(headline);
    } finally {
      await cached.stop();
    }
  });

  it("falls back to the primary while the replica is down, with a warning, and reads from the replica again once it is back", async () => {
    const story = await publishStory("Lighthouse keeper retires after forty years");
    await expect.poll(() => publicStatus(story.id), POLL).toBe("PUBLISHED");
    const name = `127.0.0.1:${replica.port}/postgres`;
    expect(await health()).toEqual({ status: 200, body: { status: "ok", replicas: [{ replica: name, status: "ok" }] } });

    await replica.stop();
    try {
      expect(await publicStatus(story.id)).toBe("PUBLISHED");
      expect(
        log
          .warnings()
          .filter((line) => line.replica === name)
          .map((line) => line.msg),
      ).toEqual(["replica unavailable: public reads go to the primary or another replica until it answers again"]);
      expect(await health()).toEqual({ status: 200, body: { status: "ok", replicas: [{ replica: name, status: "unavailable" }] } });
    } finally {
      await replica.start();
    }
    await expect.poll(() => log.lines.some((line) => line.replica === name && /answers again/.test(line.msg)), POLL).toBe(true);

    const later = await publishUnseenByTheReplica("Lighthouse to reopen as a museum");
    await expect.poll(() => publicStatus(later.id), POLL).toBe("PUBLISHED");
    expect(log.errorLines()).toEqual([]);
  });
});

describe("DATABASE_REPLICA_URLS", () => {
  it("is a startup error without DATABASE_URL, since the embedded database has no replicas", async () => {
    const { code, stderr } = await runInProject("node", ["--import", "tsx", "src/main.ts"], {
      DATABASE_URL: "",
      DATABASE_REPLICA_URLS: "postgresql://reader@replica.example:5432/newsroom",
      PGLITE_DATA_DIR: "memory://",
      PORT: "0",
    });
    expect(code).not.toBe(0);
    expect(stderr).toContain("DATABASE_REPLICA_URLS needs DATABASE_URL");
  });

  it("takes comma-separated postgresql:// URLs, and names a wrong entry by its place, not its text", () => {
    const primary = "postgresql://writer@primary.example:5432/newsroom";
    expect(
      loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: " postgresql://a.example/newsroom , postgres://b.example:6432/newsroom" })
        .replicaUrls,
    ).toEqual(["postgresql://a.example/newsroom", "postgres://b.example:6432/newsroom"]);
    expect(loadConfig({ DATABASE_URL: primary }).replicaUrls).toEqual([]);
    const wrong = () =>
      loadConfig({
        DATABASE_URL: primary,
        DATABASE_REPLICA_URLS: "postgresql://a.example/newsroom,mysql://reader:s3cret@b.example/newsroom",
      });
    expect(wrong).toThrow("DATABASE_REPLICA_URLS entry 2 of 2 must be a postgresql:// URL");
    expect(wrong).not.toThrow(/s3cret/);
  });
});
