import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_IDE_QUERY } from "../../src/ide/ide.js";
import {
  enterHeaders,
  enterQuery,
  headersInIde,
  historyInIde,
  IDE_PATH,
  launchBrowser,
  openDocs,
  openIde,
  queryInIde,
  reloadIde,
  runInIde,
  runQueryInIde,
  typeAndComplete,
} from "../support/browser.js";
import { startTestApi, type TestApi } from "../support/api.js";

const AP_HEADLINE = "Iraq considers deepening military ties with Russia";
const AP_SLUG = "iraq-considers-deepening-military-ties-with-russia";

describe("GraphiQL in Chromium, against the real server", { timeout: 180_000 }, () => {
  let api: TestApi;
  let browser: Browser;
  let origin: string;
  let context: BrowserContext;
  let page: Page;
  let requested: string[];
  let problems: string[];

  beforeAll(async () => {
    api = await startTestApi();
    await api.seedApStory();
    browser = await launchBrowser();
    origin = new URL(api.url).origin;
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  beforeEach(async () => {
    // A context of its own each time: no tabs left in localStorage by an earlier test.
    context = await browser.newContext();
    // Below the test's own limit, so a missing element fails with Playwright's account of it.
    context.setDefaultTimeout(60_000);
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
  afterEach(() => context?.close());

  const foreignRequests = () => requested.filter((url) => !url.startsWith("data:") && new URL(url).origin !== origin);

  it("loads the schema: the Docs pane lists Query", async () => {
    await openIde(page, origin);
    await openDocs(page);
    expect(await page.getByText("Error fetching schema").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("opens a first visit on a ready example: the front page and the seeded story with its photo, sources and quotes", async () => {
    expect(await openIde(page, origin)).toBe(DEFAULT_IDE_QUERY);
    const { data, errors } = JSON.parse(await runInIde(page, origin));
    expect(errors).toBeUndefined();
    expect(data.frontPage.edges.map((edge: { node: { slug: string } }) => edge.node.slug)).toContain(AP_SLUG);
    expect(data.story.headline).toBe(AP_HEADLINE);
    expect(data.story.photos.length).toBeGreaterThan(0);
    expect(data.story.sources.length).toBeGreaterThan(0);
    expect(data.story.attributions.filter((attribution: { quote: string | null }) => attribution.quote).length).toBeGreaterThan(0);
  });

  it("completes what an editor types from the schema, and runs it", async () => {
    await openIde(page, origin);
    await openDocs(page);
    // Leaves the cursor in the emptied editor.
    await enterQuery(page, "");
    expect(await typeAndComplete(page, "{ sto", "story")).toEqual(expect.arrayContaining(["story", "stories"]));
    await typeAndComplete(page, `(slug: "${AP_SLUG}") { head`, "headline");
    expect((await queryInIde(page)).replace(/\s+/g, " ")).toBe(`{ story(slug: "${AP_SLUG}") { headline}}`);
    expect(JSON.parse(await runInIde(page, origin))).toEqual({ data: { story: { headline: AP_HEADLINE } } });
  });

  it("keeps headers, tabs and history across a reload, in this browser tab's sessionStorage only", async () => {
    const { token } = await api.tokenFor("EDITOR", "Reload Desk");
    const query = `query WhoAmI { viewer { name } }`;
    expect(JSON.parse(await runQueryInIde(page, origin, query, { Authorization: `Bearer ${token}` }))).toEqual({
      data: { viewer: { name: "Reload Desk" } },
    });
    // GraphiQL saves its tabs (and their headers) half a second after the last change: reloading
    // sooner would lose them, for an editor as for this test. It saves the history as a run starts.
    await page.waitForFunction((saved) => {
      const { sessionStorage } = globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } };
      return sessionStorage.getItem("graphiql:tabState")?.includes(saved) && sessionStorage.getItem("graphiql:queries")?.includes("WhoAmI");
    }, token);
    await reloadIde(page);
    expect(await queryInIde(page)).toBe(query);
    expect(JSON.parse(await headersInIde(page))).toEqual({ Authorization: `Bearer ${token}` });
    expect(await historyInIde(page)).toContain("WhoAmI");
    expect(JSON.parse(await runInIde(page, origin))).toEqual({ data: { viewer: { name: "Reload Desk" } } });
    const stored = await page.evaluate(() => {
      const { sessionStorage, localStorage } = globalThis as unknown as Record<"sessionStorage" | "localStorage", object>;
      return { session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage) };
    });
    expect(stored.session).toContain(token);
    expect(stored.local).not.toContain(token);
  });

  it("runs a query for the seeded story and shows its headline, loading nothing from outside", async () => {
    const result = await runQueryInIde(
      page,
      origin,
      `{ story(slug: "iraq-considers-deepening-military-ties-with-russia") { headline dateline } }`,
    );
    expect(result).toContain(AP_HEADLINE);
    expect(result).toContain("BAGHDAD");
    expect(requested.length).toBeGreaterThan(5);
    expect(foreignRequests()).toEqual([]);
  });

  it("sends the editor's token from the headers tab", async () => {
    const { token } = await api.tokenFor("EDITOR", "Jane Desk");
    await openIde(page, origin);
    await enterQuery(page, `{ viewer { name role } }`);
    await enterHeaders(page, { Authorization: `Bearer ${token}` });
    expect(JSON.parse(await runInIde(page, origin))).toEqual({ data: { viewer: { name: "Jane Desk", role: "EDITOR" } } });
  });

  it("works under the CSP, its dialogs too", async () => {
    await openIde(page, origin);
    // A dialog is what makes GraphiQL add a <style> element, the one inline style it needs.
    await page.getByRole("button", { name: "Open settings dialog" }).click();
    await page.getByRole("dialog").getByText("Clear storage").waitFor();
    expect(await page.locator("style").count()).toBe(1);
    expect(foreignRequests()).toEqual([]);
    expect(problems.filter((problem) => /Content Security Policy|Refused to/i.test(problem))).toEqual([]);
  });
});

describe("the IDE's HTTP side", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it("lets GraphQL clients' GETs through to the GraphQL handler", async () => {
    for (const accept of ["application/json", "application/graphql-response+json, application/json;q=0.9", "*/*"]) {
      const response = await fetch(`${api.url}?query=${encodeURIComponent("{ stories { totalCount } }")}`, {
        headers: { Accept: accept, "apollo-require-preflight": "true" },
      });
      expect(response.headers.get("content-type")).toMatch(/^application\/(graphql-response\+)?json/);
      expect(await response.json()).toEqual({ data: { stories: { totalCount: 0 } } });
    }
  });

  it("serves the page to browsers under a strict Content-Security-Policy", async () => {
    const response = await fetch(api.url, { headers: { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("vary")).toMatch(/Accept/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    // Subscriptions: graphql-ws on this same host.
    const host = new URL(api.url).host;
    expect(csp).toContain(`connect-src 'self' ws://${host} wss://${host};`);
    const nonce = /style-src 'self' 'nonce-([A-Za-z0-9+/=]{24})';/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).not.toMatch(/unsafe-|https?:/);
    const html = await response.text();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html).not.toMatch(/<script>|<style|https?:\/\//);
  });

  it("serves the assets from node_modules, compressed and cached for good", async () => {
    const origin = new URL(api.url).origin;
    const html = await (await fetch(api.url, { headers: { Accept: "text/html" } })).text();
    const assets = [...html.matchAll(new RegExp(`(?:src|href)="(${IDE_PATH}/ide-assets/[^"]+)"`, "g"))].map((match) => match[1]!);
    expect(assets.map((asset) => asset.split("/").pop())).toEqual([
      "graphiql.css",
      "ide.css",
      "react.js",
      "react-dom.js",
      "graphiql.js",
      "ide.js",
    ]);
    for (const asset of assets) {
      const response = await fetch(`${origin}${asset}`, { headers: { "Accept-Encoding": "gzip" } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(
        asset.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
      );
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(response.headers.get("content-encoding")).toBe("gzip");
      expect((await response.text()).length).toBeGreaterThan(0);
    }
    const stale = await fetch(`${origin}${assets[4]!.replace(/ide-assets\/[0-9a-f]+/, "ide-assets/000000000000")}`);
    expect(stale.status).toBe(404);
  });

  it("is not served in production", async () => {
    const production = await startTestApi({ NODE_ENV: "production" });
    try {
      const response = await fetch(production.url, { headers: { accept: "text/html" } });
      expect(response.headers.get("content-type") ?? "").not.toContain("text/html");
      expect(await response.text()).not.toMatch(/graphiql/i);
    } finally {
      await production.close();
    }
  });
});
