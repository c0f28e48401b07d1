import http from "node:http";
import { exitWithParent, peerSettings, requireFromPeer } from "./peer-server.js";

/**
 * PostGraphile 5 needs Node 22 for Promise.withResolvers; on Node 20 this launcher supplies it
 * (the spec's algorithm) before PostGraphile loads.
 */
if (!("withResolvers" in Promise)) {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/**
 * PostGraphile 5 with its Amber preset (the recommended defaults) over the project's tables,
 * served by grafserv on node:http, without GraphiQL, with a pg Pool of the same size as the API's.
 */
const settings = peerSettings();
const peer = requireFromPeer("postgraphile5");
const { postgraphile } = peer("postgraphile");
const { PostGraphileAmberPreset } = peer("postgraphile/presets/amber");
const { makePgService } = peer("postgraphile/adaptors/pg");
const { grafserv } = peer("postgraphile/grafserv/node");
const { Pool } = peer("pg");

const pool = new Pool({ connectionString: settings.databaseUrl, max: settings.poolSize });
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ pool, schemas: ["public"] })],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
};
const serv = postgraphile(preset).createServ(grafserv);
const server = http.createServer();
serv.addTo(server);

exitWithParent();
server.listen(settings.port, settings.host, () => console.error(`postgraphile 5 listening on ${settings.port}`));
