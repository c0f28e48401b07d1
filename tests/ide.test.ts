import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { buildSchema, getIntrospectionQuery, graphqlSync } from "graphql";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createIdeRouter, DEFAULT_IDE_QUERY } from "../src/ide/ide.js";
import { IDE_PATH, launchBrowser, openIde, runQueryInIde } from "./support/browser.js";

// Stands in for Apollo until the real server is wired behind the IDE; then this test moves to it.
const schema = buildSchema(`
  enum StoryStatus { DRAFT IN_REVIEW PUBLISHED }
  type Story { headline: String! slug: String! status: StoryStatus! }
  type StoryEdge { node: Story! }
  type StoryConnection { edges: [StoryEdge!]! }
  type Query { stories(first: Int): StoryConnection! }
`);
const introspection = graphqlSync({ schema, source: getIntrospectionQuery() });
const headline = "Iraq considers deepening military ties with Russia";
const storiesResult = { data: { stories: { edges: [{ node: { headline, slug: "x", status: "PUBLISHED" } }] } } };

interface SeenRequest {
  method: string;
  authorization: string | undefined;
  contentType: string | undefined;
  operationName: string | undefined;
}

let server: Server;
let baseUrl: string;
let browser: Browser;
const seen: SeenRequest[] = [];

beforeAll(async () => {
  const app = express();
  app.use(IDE_PATH, createIdeRouter({ endpoint: IDE_PATH }));
  app.all(IDE_PATH, express.json(), (req, res) => {
    const operationName = (req.body as { operationName?: string } | undefined)?.operationName;
    seen.push({ method: req.method, authorization: req.get("authorization"), contentType: req.get("content-type"), operationName });
    res.json(operationName === "IntrospectionQuery" ? introspection : storiesResult);
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("the IDE in a browser", () => {
  let context: BrowserContext;
  let page: Page;
  let requested: string[];
  let problems: string[];

  beforeEach(async () => {
    seen.length = 0;
    // A context of its own each time: no tabs left in localStorage by an earlier test.
    context = await browser.newContext();
    // Shorter than the test's own limit, so a missing element fails with Playwright's account of it.
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    requested = [];
    problems = [];
    page.on("request", (request) => requested.push(request.url()));
    // CSP refusals land in the console, and a refused request never shows up as a request.
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
  });

  afterEach(async () => {
    await context.close();
  });

  it("runs a query with the editor's Authorization header and shows the result", async () => {
    const query = "{ stories(first: 1) { edges { node { headline slug status } } } }";
    const result = await runQueryInIde(page, baseUrl, query, { Authorization: "Bearer test-token" });

    expect(result).toContain(headline);
    expect(JSON.parse(result)).toEqual(storiesResult);
    const run = seen.find((request) => request.operationName !== "IntrospectionQuery");
    expect(run).toEqual({ method: "POST", authorization: "Bearer test-token", contentType: "application/json", operationName: undefined });
    expect(seen.some((request) => request.operationName === "IntrospectionQuery")).toBe(true);

    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((url) => new URL(url).origin !== baseUrl)).toEqual([]);
    expect(problems).toEqual([]);
  }, 30_000);

  it("opens on the latest-stories query, loads the schema, and its dialogs work under the CSP", async () => {
    expect(await openIde(page, baseUrl)).toBe(DEFAULT_IDE_QUERY);
    await expect.poll(() => seen.some((request) => request.operationName === "IntrospectionQuery")).toBe(true);
    expect(seen.every((request) => request.authorization === undefined)).toBe(true);

    // A dialog is what makes GraphiQL add a <style> element, the one inline style it needs.
    await page.getByRole("button", { name: "Open settings dialog" }).click();
    await page.getByRole("dialog").getByText("Clear storage").waitFor();
    expect(await page.locator("style").count()).toBe(1);

    expect(requested.filter((url) => new URL(url).origin !== baseUrl)).toEqual([]);
    expect(problems).toEqual([]);
  }, 30_000);
});

describe("the IDE's HTTP side", () => {
  it("lets GraphQL clients' GETs through to the GraphQL handler", async () => {
    for (const accept of ["application/json", "application/graphql-response+json, application/json;q=0.9", "*/*"]) {
      const response = await fetch(`${baseUrl}${IDE_PATH}?query=${encodeURIComponent("{ stories { edges { node { headline } } } }")}`, {
        headers: { Accept: accept },
      });
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await response.json()).toEqual(storiesResult);
    }
  });

  it("serves the page to browsers under a strict Content-Security-Policy", async () => {
    const response = await fetch(`${baseUrl}${IDE_PATH}`, { headers: { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("vary")).toMatch(/Accept/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    const nonce = /style-src 'self' 'nonce-([A-Za-z0-9+/=]{24})';/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).not.toMatch(/unsafe-|https?:/);
    const html = await response.text();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html).not.toMatch(/<script>|<style|https?:\/\//);
  });

  it("serves the assets from node_modules, compressed and cached for good", async () => {
    const html = await (await fetch(`${baseUrl}${IDE_PATH}`, { headers: { Accept: "text/html" } })).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/graphql\/ide-assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets.map((asset) => asset.split("/").pop())).toEqual([
      "graphiql.css",
      "ide.css",
      "react.js",
      "react-dom.js",
      "graphiql.js",
      "ide.js",
    ]);
    for (const asset of assets) {
      const response = await fetch(`${baseUrl}${asset}`, { headers: { "Accept-Encoding": "gzip" } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(
        asset.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
      );
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(response.headers.get("content-encoding")).toBe("gzip");
      expect((await response.text()).length).toBeGreaterThan(0);
    }
    const stale = await fetch(`${baseUrl}${assets[4]!.replace(/ide-assets\/[0-9a-f]+/, "ide-assets/000000000000")}`);
    expect(stale.status).toBe(404);
  });
});
