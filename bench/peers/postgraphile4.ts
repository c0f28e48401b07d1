import http from "node:http";
import { exitWithParent, peerSettings, requireFromPeer } from "./peer-server.js";

/**
 * PostGraphile 4 over the project's tables, as its documentation recommends for production: its
 * own HTTP handler on node:http, no GraphiQL, no watch mode, no query log, and a pg Pool of the
 * same size as the API's. Its JavaScript comes from bench/.peers/postgraphile4 and is untyped here.
 */
const settings = peerSettings();
const peer = requireFromPeer("postgraphile4");
const { postgraphile } = peer("postgraphile");
const { Pool } = peer("pg");

const pool = new Pool({ connectionString: settings.databaseUrl, max: settings.poolSize });
const handler = postgraphile(pool, "public", {
  subscriptions: false,
  watchPg: false,
  graphiql: false,
  disableQueryLog: true,
  dynamicJson: true,
  setofFunctionsContainNulls: false,
  ignoreRBAC: false,
  legacyRelations: "omit",
  extendedErrors: ["errcode"],
  retryOnInitFail: false,
});

exitWithParent();
http.createServer(handler).listen(settings.port, settings.host, () => console.error(`postgraphile 4 listening on ${settings.port}`));
