import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../support/api.js";

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
  });

describe("browser frontends on other origins", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ NODE_ENV: "production", CORS_ORIGINS: "https://www.example-news.org, https://desk.example-news.org" });
  });
  afterAll(() => api?.close());

  it("may call the API from a configured origin, with the Authorization header", async () => {
    const response = await preflight(api.url, "https://desk.example-news.org");
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://desk.example-news.org");
    expect(response.headers.get("access-control-allow-headers")).toContain("authorization");
  });

  it("may not from any other origin", async () => {
    const response = await preflight(api.url, "https://elsewhere.example");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("CORS defaults", () => {
  it("allow no other origin in production unless configured", async () => {
    const api = await startTestApi({ NODE_ENV: "production" });
    try {
      expect((await preflight(api.url, "https://www.example-news.org")).headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await api.close();
    }
  });
});
