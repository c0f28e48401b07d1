import path from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export type DatabaseTarget = { kind: "pglite"; dataDir: string | null } | { kind: "postgres"; url: string };

export type RuntimeEnvironment = "development" | "production" | "test";

/** Answers to anonymous queries, kept in each instance and dropped on every change the public can see. */
export interface ResponseCacheConfig {
  /** Off: nothing is kept or listened for, and every answer says no-store. */
  enabled: boolean;
  maxEntries: number;
  /** Bodies and keys together. */
  maxBytes: number;
  /** How long an HTTP cache may keep a public answer (Cache-Control max-age). */
  maxAgeSeconds: number;
  /**
   * How long this instance keeps an answer at most. Every change the public can see drops it at
   * once (LISTEN/NOTIFY), so this only bounds how long an answer could outlive a change that a
   * listening connection broken without a word never announced.
   */
  keepSeconds: number;
  /** How long past max-age an HTTP cache may serve a public answer while it fetches a new one. */
  staleWhileRevalidateSeconds: number;
}

/** Subscriptions over graphql-ws and who-is-editing leases (src/live/, src/graphql/websocket.ts). */
export interface LiveConfig {
  /** How long a beginEditing lease lasts without another heartbeat. */
  editingLeaseSeconds: number;
  /** Subscriptions one connection may hold at once. */
  maxSubscriptionsPerConnection: number;
  /** Connections one token may hold at once, on each instance. */
  maxConnectionsPerToken: number;
  /** Events one subscription may have waiting to be sent before its connection is dropped as too slow. */
  subscriberQueueLimit: number;
  /** Bytes a connection may have waiting in its send buffer before it is dropped as too slow. */
  maxBufferedBytes: number;
  /** How long a new connection has to send connection_init. */
  connectionInitSeconds: number;
  /** How often each connection is pinged; one that has not answered the last ping by the next is cut. */
  pingSeconds: number;
  /** How often live connections' tokens are checked again (expiry; revocations arrive at once through NOTIFY). */
  authRecheckSeconds: number;
}

/** The scheduler that publishes scheduled stories (src/scheduling/scheduler.ts). */
export interface SchedulerConfig {
  /** Whether the API instance runs one; npm run worker always does. */
  enabled: boolean;
  /** The safety net: how often it looks for due stories whatever it has heard. */
  pollSeconds: number;
  /** Stories one transaction publishes: a burst costs few commits, and each holds its locks briefly. */
  batchSize: number;
}

/** Who publishes the stories, as partners (ninjs) and search engines (schema.org JSON-LD) are told. */
export interface PublicationConfig {
  /**
   * The newsroom's public site, without a trailing slash: the publisher's url, and the base of the
   * URIs that identify stories and photos in ninjs ({baseUrl}/stories/{id}, {baseUrl}/photos/{id}).
   */
  baseUrl: string;
  publisherName: string;
  /** The publisher's logo, an absolute http(s) URL; none when unset. */
  publisherLogoUrl: string | null;
  /** The language stories are written in, as an IETF BCP 47 tag. */
  language: string;
}

/** Uploaded photos: where their files are kept, and what an upload may be. */
export interface MediaConfig {
  /** Originals (by SHA-256), their renditions, and uploads in progress; absolute. */
  dir: string;
  /** The largest file an upload may carry, counted while it streams in. */
  maxBytes: number;
  /** Width times height above which an image is refused before it is decoded: a decompression bomb. */
  maxPixels: number;
}

export interface Config {
  environment: RuntimeEnvironment;
  database: DatabaseTarget;
  /** Streaming replicas of the PostgreSQL primary that public reads go to; none by default. */
  replicaUrls: string[];
  host: string;
  port: number;
  /**
   * Server processes sharing the port (node:cluster), one per core in production: a Node process
   * uses one core. Each is an API instance of its own (pool, response cache, listener); 1 runs the
   * server in this process alone.
   */
  serverProcesses: number;
  logLevel: string;
  /** The browser IDE at /graphql; off in production unless asked for. */
  graphqlIde: boolean;
  /**
   * Schema introspection: on outside production, and in production only with the IDE, which needs
   * it. Where it is on, operations that are pure introspection are exempt from the depth and cost limits.
   */
  introspection: boolean;
  /** Whether internal error messages may reach clients. */
  exposeInternalErrors: boolean;
  /** Seconds to let in-flight requests finish on shutdown. */
  shutdownGraceSeconds: number;
  /** Browser origins allowed to call the API from other sites; "*" allows any. */
  corsOrigins: string[];
  responseCache: ResponseCacheConfig;
  live: LiveConfig;
  scheduler: SchedulerConfig;
  publication: PublicationConfig;
  media: MediaConfig;
}

const defaultPgliteDir = path.join(projectRoot, ".data", "pglite");
const defaultMediaDir = path.join(projectRoot, ".data", "media");

function parseEnvironment(value: string | undefined): RuntimeEnvironment {
  if (value === "production" || value === "test") return value;
  return "development";
}

function parseInteger(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new Error(`${name} must be on or off (true or false), got "${value}"`);
}

function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Comma-separated origins such as https://www.example.org; each must be a bare origin. */
function parseOrigins(value: string | undefined, fallback: string[]): string[] {
  if (value === undefined || value.trim() === "") return fallback;
  const origins = value
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (origin !== "*" && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new Error(`CORS_ORIGINS entries must look like https://www.example.org (no path), got "${origin}"`);
    }
  }
  return origins;
}

/** An absolute http(s) URL, as given but for a trailing slash. */
function parseHttpUrl(name: string, value: string | undefined, fallback: string): string;
function parseHttpUrl(name: string, value: string | undefined, fallback: null): string | null;
function parseHttpUrl(name: string, value: string | undefined, fallback: string | null): string | null {
  const given = value?.trim();
  if (!given) return fallback;
  if (!/^https?:\/\//.test(given) || !URL.canParse(given)) {
    throw new Error(`${name} must be an absolute http(s) URL such as https://www.example.org, got "${given}"`);
  }
  return given.replace(/\/+$/, "");
}

export function databaseTargetFrom(env: NodeJS.ProcessEnv): DatabaseTarget {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!isPostgresUrl(url)) {
      throw new Error("DATABASE_URL must be a postgresql:// URL; leave it unset for the embedded database");
    }
    return { kind: "postgres", url };
  }
  const dir = env.PGLITE_DATA_DIR?.trim();
  if (dir === "memory://") return { kind: "pglite", dataDir: null };
  return { kind: "pglite", dataDir: dir ? path.resolve(projectRoot, dir) : defaultPgliteDir };
}

/**
 * DATABASE_REPLICA_URLS: comma-separated postgresql:// URLs of streaming replicas of DATABASE_URL.
 * Errors name an entry by its position, never by its text, which may hold a password.
 */
function parseReplicaUrls(value: string | undefined, database: DatabaseTarget): string[] {
  if (value === undefined || value.trim() === "") return [];
  if (database.kind !== "postgres") {
    throw new Error(
      "DATABASE_REPLICA_URLS needs DATABASE_URL: replicas stream from a PostgreSQL primary, and the embedded database has none. " +
        "Set DATABASE_URL to the primary, or unset DATABASE_REPLICA_URLS",
    );
  }
  const urls = value.split(",").map((url) => url.trim());
  urls.forEach((url, index) => {
    if (!isPostgresUrl(url) || !URL.canParse(url)) {
      throw new Error(
        `DATABASE_REPLICA_URLS entry ${index + 1} of ${urls.length} must be a postgresql:// URL; separate entries with commas`,
      );
    }
  });
  return urls;
}

function parseServerProcesses(value: string | undefined, database: DatabaseTarget): number {
  const processes = parseInteger("SERVER_PROCESSES", value, 1, 1, 256);
  if (processes > 1 && database.kind !== "postgres") {
    throw new Error(
      "SERVER_PROCESSES above 1 needs DATABASE_URL: the embedded database belongs to the one process that opens it. " +
        "Set DATABASE_URL to a PostgreSQL server, or unset SERVER_PROCESSES",
    );
  }
  return processes;
}

/**
 * The datasource URL that Prisma's CLI hands to its schema engine (prisma/schema-engine). PGlite
 * has no URL of its own, so it gets a pglite: one naming its data folder.
 */
export function prismaDatasourceUrl(target: DatabaseTarget): string {
  if (target.kind === "postgres") return target.url;
  return `pglite:${target.dataDir ?? "memory://"}`;
}

export function databaseTargetFromPrismaUrl(url: string): DatabaseTarget {
  if (isPostgresUrl(url)) return { kind: "postgres", url };
  if (!url.startsWith("pglite:")) throw new Error("The datasource URL must start with postgresql:// or pglite:");
  const dataDir = url.slice("pglite:".length);
  return { kind: "pglite", dataDir: dataDir === "memory://" ? null : path.resolve(projectRoot, dataDir) };
}

/** A PostgreSQL server on which each test file creates a database of its own; null tests on PGlite. */
export function testDatabaseAdminUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const url = env.TEST_DATABASE_URL?.trim();
  if (!url) return null;
  if (!isPostgresUrl(url)) {
    throw new Error(
      "TEST_DATABASE_URL must be a postgresql:// URL of a user allowed to create databases; leave it unset to test on PGlite",
    );
  }
  return url;
}

/** The Chromium that browser tests drive: Debian's by default, since nothing can download Playwright's own. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROMIUM_PATH?.trim() || "/usr/bin/chromium";
}

const MIB = 1024 * 1024;

/**
 * On by default, but for tests, which turn it on where they test it: elsewhere a test reads back
 * what it just wrote, and an invalidation that travels through PostgreSQL arrives a moment later.
 */
function responseCacheFrom(env: NodeJS.ProcessEnv, environment: RuntimeEnvironment): ResponseCacheConfig {
  return {
    enabled: parseBoolean("RESPONSE_CACHE", env.RESPONSE_CACHE, environment !== "test"),
    maxEntries: parseInteger("RESPONSE_CACHE_MAX_ENTRIES", env.RESPONSE_CACHE_MAX_ENTRIES, 10_000, 1, 10_000_000),
    maxBytes: parseInteger("RESPONSE_CACHE_MAX_MB", env.RESPONSE_CACHE_MAX_MB, 64, 1, 65_536) * MIB,
    maxAgeSeconds: parseInteger("RESPONSE_CACHE_MAX_AGE", env.RESPONSE_CACHE_MAX_AGE, 5, 1, 86_400),
    keepSeconds: parseInteger("RESPONSE_CACHE_KEEP_SECONDS", env.RESPONSE_CACHE_KEEP_SECONDS, 60, 1, 86_400),
    staleWhileRevalidateSeconds: parseInteger(
      "RESPONSE_CACHE_STALE_WHILE_REVALIDATE",
      env.RESPONSE_CACHE_STALE_WHILE_REVALIDATE,
      30,
      0,
      86_400,
    ),
  };
}

function liveFrom(env: NodeJS.ProcessEnv): LiveConfig {
  return {
    editingLeaseSeconds: parseInteger("EDITING_LEASE_SECONDS", env.EDITING_LEASE_SECONDS, 60, 1, 3600),
    maxSubscriptionsPerConnection: parseInteger(
      "LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION",
      env.LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      20,
      1,
      1000,
    ),
    maxConnectionsPerToken: parseInteger("LIVE_MAX_CONNECTIONS_PER_TOKEN", env.LIVE_MAX_CONNECTIONS_PER_TOKEN, 10, 1, 1000),
    subscriberQueueLimit: parseInteger("LIVE_SUBSCRIBER_QUEUE", env.LIVE_SUBSCRIBER_QUEUE, 100, 1, 100_000),
    maxBufferedBytes: parseInteger("LIVE_MAX_BUFFERED_KB", env.LIVE_MAX_BUFFERED_KB, 4096, 16, 1_048_576) * 1024,
    connectionInitSeconds: parseInteger("LIVE_CONNECTION_INIT_SECONDS", env.LIVE_CONNECTION_INIT_SECONDS, 10, 1, 300),
    pingSeconds: parseInteger("LIVE_PING_SECONDS", env.LIVE_PING_SECONDS, 30, 1, 3600),
    authRecheckSeconds: parseInteger("LIVE_AUTH_RECHECK_SECONDS", env.LIVE_AUTH_RECHECK_SECONDS, 60, 1, 86_400),
  };
}

/** On by default, but for tests, which turn it on where they test it, so that it reads nothing behind another test's back. */
function schedulerFrom(env: NodeJS.ProcessEnv, environment: RuntimeEnvironment): SchedulerConfig {
  return {
    enabled: parseBoolean("SCHEDULER", env.SCHEDULER, environment !== "test"),
    pollSeconds: parseInteger("SCHEDULER_POLL_SECONDS", env.SCHEDULER_POLL_SECONDS, 10, 1, 3600),
    batchSize: parseInteger("SCHEDULER_BATCH_SIZE", env.SCHEDULER_BATCH_SIZE, 20, 1, 1000),
  };
}

/**
 * The defaults suit a developer's machine; a newsroom sets its own in production, since they go out
 * in every ninjs item and JSON-LD block (and the story URIs partners keep).
 */
function publicationFrom(env: NodeJS.ProcessEnv): PublicationConfig {
  const language = env.CONTENT_LANGUAGE?.trim() || "en";
  // BCP 47 in outline: a 2-3 letter language, then subtags of 1-8 letters or digits.
  if (!/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(language)) {
    throw new Error(`CONTENT_LANGUAGE must be an IETF language tag such as en or en-US, got "${language}"`);
  }
  return {
    baseUrl: parseHttpUrl("PUBLIC_BASE_URL", env.PUBLIC_BASE_URL, "http://localhost:4000"),
    publisherName: env.PUBLISHER_NAME?.trim() || "Newsroom",
    publisherLogoUrl: parseHttpUrl("PUBLISHER_LOGO_URL", env.PUBLISHER_LOGO_URL, null),
    language,
  };
}

/** 25 MiB takes a full-size camera JPEG; 150 megapixels is above every camera but a few medium-format backs. */
function mediaFrom(env: NodeJS.ProcessEnv): MediaConfig {
  const dir = env.MEDIA_DIR?.trim();
  return {
    dir: dir ? path.resolve(projectRoot, dir) : defaultMediaDir,
    maxBytes: parseInteger("MEDIA_MAX_BYTES", env.MEDIA_MAX_BYTES, 25 * MIB, 1, 1024 * MIB),
    maxPixels: parseInteger("MEDIA_MAX_PIXELS", env.MEDIA_MAX_PIXELS, 150_000_000, 1, 1_000_000_000),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const environment = parseEnvironment(env.NODE_ENV);
  const isProduction = environment === "production";
  const database = databaseTargetFrom(env);
  const graphqlIde = parseBoolean("GRAPHQL_IDE", env.GRAPHQL_IDE, !isProduction);
  return Object.freeze({
    environment,
    database,
    replicaUrls: parseReplicaUrls(env.DATABASE_REPLICA_URLS, database),
    host: env.HOST?.trim() || "0.0.0.0",
    port: parseInteger("PORT", env.PORT, 4000, 0, 65535),
    serverProcesses: parseServerProcesses(env.SERVER_PROCESSES, database),
    logLevel: env.LOG_LEVEL?.trim() || (environment === "test" ? "silent" : "info"),
    graphqlIde,
    introspection: !isProduction || graphqlIde,
    exposeInternalErrors: !isProduction && parseBoolean("EXPOSE_INTERNAL_ERRORS", env.EXPOSE_INTERNAL_ERRORS, false),
    shutdownGraceSeconds: parseInteger("SHUTDOWN_GRACE_SECONDS", env.SHUTDOWN_GRACE_SECONDS, 10, 0, 300),
    corsOrigins: parseOrigins(env.CORS_ORIGINS, isProduction ? [] : ["*"]),
    responseCache: Object.freeze(responseCacheFrom(env, environment)),
    live: Object.freeze(liveFrom(env)),
    scheduler: Object.freeze(schedulerFrom(env, environment)),
    publication: Object.freeze(publicationFrom(env)),
    media: Object.freeze(mediaFrom(env)),
  });
}
