/**
 * The editors' browser IDE (GraphiQL), served wholly from this server's own node_modules so that it
 * works in air-gapped newsrooms: no CDN, no web fonts, nothing fetched from another origin.
 *
 * Mount it on the GraphQL path before Apollo, and turn Apollo's own landing page off (its default
 * pages load Apollo's sandbox from a CDN):
 *
 *   app.use("/graphql", createIdeRouter({ endpoint: "/graphql" }));
 *   app.use("/graphql", cors(), express.json(), expressMiddleware(apollo));
 *   // new ApolloServer({ ..., plugins: [ApolloServerPluginLandingPageDisabled()] })
 *
 * `app.use`, not `app.get`: the router also answers GET /graphql/ide-assets/..., which a route
 * matching "/graphql" exactly would never see. Everything that is not a browser asking for a page
 * (POSTs, GETs preferring JSON, curl's accept-anything GETs) goes on to Apollo untouched.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { gzipSync } from "node:zlib";
import express from "express";

export interface IdeOptions {
  /** Path of the GraphQL endpoint on this same origin, e.g. "/graphql". */
  endpoint: string;
  title?: string;
}

/** Below the router's mount path; hashed file names under it let browsers cache them for good. */
export const IDE_ASSETS_PATH = "/ide-assets";

/** The seeded AP story's slug (seeds/), which `npm start` imports. */
const SEED_SLUG = "iraq-considers-deepening-military-ties-with-russia";

/** Shown in the first tab of a browser that has no tabs of its own yet: a ready example to run. */
export const DEFAULT_IDE_QUERY = `# The front page, and the seeded AP story with its photo, sources and
# quotes. Run it with Ctrl-Enter; Docs (top left) lists every type.
# To query as yourself, put your token under Headers below:
#   { "Authorization": "Bearer <token>" }
# Headers, tabs and history are kept in this browser tab until it closes.
query FrontPageAndStory {
  frontPage: stories(first: 5, filter: { status: PUBLISHED }, orderBy: PUBLISHED_AT_DESC) {
    totalCount
    edges {
      node {
        headline
        slug
        publishedAt
      }
    }
  }
  story(slug: "${SEED_SLUG}") {
    headline
    dateline
    bylines {
      name
      affiliation
    }
    photos {
      role
      caption
      credit
    }
    sources {
      name
      title
      affiliation
      isAnonymous
      anonymousDescription
    }
    attributions {
      kind
      quote
      source {
        name
      }
      paragraph {
        position
      }
    }
  }
}
`;

// Assets are served by this fixed list only, never by a path taken from the request. The UMD
// builds need globals: React and ReactDOM 18 (React 19 ships no UMD build), then GraphiQL.
const packageFiles = [
  { name: "react.js", pkg: "react", file: "umd/react.production.min.js" },
  { name: "react-dom.js", pkg: "react-dom", file: "umd/react-dom.production.min.js" },
  { name: "graphiql.js", pkg: "graphiql", file: "graphiql.min.js" },
  { name: "graphiql.css", pkg: "graphiql", file: "graphiql.min.css" },
] as const;

// An external file rather than an inline script, so the CSP needs no 'unsafe-inline' or hashes;
// the page hands it its settings in a JSON data block, which browsers never execute.
// The one <style> element GraphiQL adds (react-remove-scroll locking the page's scroll under a
// dialog) takes its nonce from __webpack_nonce__; this script's own tag carries the page's nonce.
// GraphiQL keeps its tabs, history and (shouldPersistHeaders) headers in the storage it is given:
// sessionStorage, so that they survive reloads, but a bearer token in them does not outlive the
// browser tab, as it would in localStorage, GraphiQL's default. (History entries and tabs carry
// their headers too, so none of them may go to localStorage.)
const bootstrapScript = `"use strict";
(function () {
  window.__webpack_nonce__ = document.currentScript.nonce;
  var config = JSON.parse(document.getElementById("ide-config").textContent);
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      // Subscriptions go over graphql-ws at the same path; the Headers tab's Authorization is sent in connection_init.
      fetcher: GraphiQL.createFetcher({
        url: config.endpoint,
        subscriptionUrl: (location.protocol === "https:" ? "wss://" : "ws://") + location.host + config.endpoint,
      }),
      defaultQuery: config.defaultQuery,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      storage: window.sessionStorage,
    }),
  );
})();
`;

const pageStyles = `html, body, #graphiql { height: 100%; margin: 0; }
`;

const contentTypes: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

interface Asset {
  hash: string;
  contentType: string;
  body: Buffer;
  gzipped: Buffer;
}

const require = createRequire(import.meta.url);

function packageFile(pkg: string, file: string): Buffer {
  // These packages' "exports" hide their UMD files, but each exports its package.json.
  return readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file));
}

function makeAsset(name: string, body: Buffer): Asset {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  const contentType = contentTypes[path.extname(name)];
  if (!contentType) throw new Error(`No content type for IDE asset ${name}`);
  // 1.6 MB in all, 0.66 MB gzipped: compressed once here, not on every slow newsroom link's request.
  return { hash, contentType, body, gzipped: gzipSync(body) };
}

function loadAssets(): Map<string, Asset> {
  const files: [string, Buffer][] = [
    ...packageFiles.map(({ name, pkg, file }): [string, Buffer] => [name, packageFile(pkg, file)]),
    ["ide.js", Buffer.from(bootstrapScript)],
    ["ide.css", Buffer.from(pageStyles)],
  ];
  return new Map(files.map(([name, body]) => [name, makeAsset(name, body)]));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON placed inside a <script> element must not be able to close it. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** A Host header fit to name in the CSP: a host name or address and an optional port, nothing else. */
const PLAIN_HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

// GraphiQL needs no eval and no inline scripts. Its stylesheet inlines its fonts and icons as data:
// URLs, hence data: for fonts and images; the nonce is for its scroll-lock <style> element.
// Subscriptions connect to this same host over ws: or wss:, which older browsers' 'self' does not cover.
function contentSecurityPolicy(nonce: string, host: string | undefined): string {
  const sockets = host && PLAIN_HOST.test(host) ? ` ws://${host} wss://${host}` : "";
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    `connect-src 'self'${sockets}`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function renderPage(basePath: string, assets: Map<string, Asset>, nonce: string, title: string, endpoint: string): string {
  const href = (name: string) => {
    const asset = assets.get(name);
    if (!asset) throw new Error(`Missing IDE asset ${name}`);
    return escapeHtml(`${basePath}${IDE_ASSETS_PATH}/${asset.hash}/${name}`);
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${href("graphiql.css")}">
<link rel="stylesheet" href="${href("ide.css")}">
</head>
<body>
<div id="graphiql"></div>
<script type="application/json" id="ide-config">${jsonForScript({ endpoint, defaultQuery: DEFAULT_IDE_QUERY })}</script>
<script src="${href("react.js")}"></script>
<script src="${href("react-dom.js")}"></script>
<script src="${href("graphiql.js")}"></script>
<script src="${href("ide.js")}" nonce="${nonce}"></script>
</body>
</html>
`;
}

/**
 * Serves the IDE page at "/" of wherever it is mounted, to requests that prefer text/html, and its
 * scripts and stylesheet under IDE_ASSETS_PATH. Reads the assets once, here, so that a package that
 * no longer ships them fails at startup rather than in an editor's browser.
 */
export function createIdeRouter(options: IdeOptions): express.Router {
  const { endpoint, title = "Newsroom GraphQL IDE" } = options;
  // A path on this origin keeps connect-src at 'self' (and this host's ws: and wss:).
  if (!endpoint.startsWith("/") || endpoint.startsWith("//")) {
    throw new Error(`The IDE's endpoint must be a path on this server, like "/graphql", got "${endpoint}"`);
  }
  const assets = loadAssets();
  const router = express.Router();

  router.get("/", (req, res, next) => {
    // JSON types first: a client that takes anything (Accept: */*) is a GraphQL client, not a person.
    if (req.accepts(["application/graphql-response+json", "application/json", "text/html"]) !== "text/html") {
      next();
      return;
    }
    const nonce = randomBytes(16).toString("base64");
    res
      .set({
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": contentSecurityPolicy(nonce, req.headers.host),
        "Cache-Control": "no-store",
        // The same URL answers JSON to clients: caches must keep the two apart.
        Vary: "Accept",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
      })
      .send(renderPage(req.baseUrl, assets, nonce, title, endpoint));
  });

  router.get(`${IDE_ASSETS_PATH}/:hash/:name`, (req, res) => {
    const asset = assets.get(req.params.name);
    if (!asset || asset.hash !== req.params.hash) {
      res.status(404).type("text/plain").send("Not found");
      return;
    }
    const gzip = req.acceptsEncodings("gzip", "identity") === "gzip";
    res.set({
      "Content-Type": asset.contentType,
      "Cache-Control": "public, max-age=31536000, immutable",
      Vary: "Accept-Encoding",
      "X-Content-Type-Options": "nosniff",
    });
    if (gzip) res.set("Content-Encoding", "gzip");
    res.send(gzip ? asset.gzipped : asset.body);
  });

  return router;
}
