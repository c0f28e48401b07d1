import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, runQueryInIde } from "../support/browser.js";
import { startTestApi, type TestApi } from "../support/api.js";

describe("GraphiQL in Chromium, against the real server", () => {
  let api: TestApi;
  let browser: Browser;
  let origin: string;

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

  it("runs a query for the seeded story and shows its headline, loading nothing from outside", async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith("data:")) foreign.push(request.url());
    });
    const result = await runQueryInIde(
      page,
      origin,
      `{ story(slug: "iraq-considers-deepening-military-ties-with-russia") { headline dateline } }`,
    );
    expect(result).toContain("Iraq considers deepening military ties with Russia");
    expect(result).toContain("BAGHDAD");
    expect(foreign).toEqual([]);
    await page.close();
  });

  it("sends the editor's token from the headers tab", async () => {
    const { token } = await api.tokenFor("EDITOR", "Jane Desk");
    const page = await browser.newPage();
    const result = await runQueryInIde(page, origin, `{ viewer { name role } }`, { Authorization: `Bearer ${token}` });
    expect(result).toContain("Jane Desk");
    expect(result).toContain("EDITOR");
    await page.close();
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
