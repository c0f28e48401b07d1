import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ok, startTestApi, type TestApi } from "../support/api.js";

describe("graceful shutdown", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close().catch(() => {}));

  it("lets an in-flight request finish, then refuses new connections", async () => {
    const { token } = await api.tokenFor("EDITOR");
    const story = ok(await api.graphql(`mutation { createStory(input: { headline: "Held by a lock" }) { story { id } } }`, {}, token)).createStory.story;

    let releaseLock!: () => void;
    const lockHeld = new Promise<void>((resolve) => {
      // Another writer holds the story's row lock, so the request below waits inside the server.
      void api.prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM stories WHERE id = ${story.id}::uuid FOR UPDATE`;
        resolve();
        await new Promise<void>((release) => (releaseLock = release));
      });
    });
    await lockHeld;

    const inFlight = api.graphql(`mutation($id: ID!) { updateStory(id: $id, expectedVersion: 1, input: { headline: "Saved during shutdown" }) { story { headline version } } }`, { id: story.id }, token);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopping = api.stopServer();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(fetch(api.url.replace("/graphql", "/health"))).rejects.toThrow();
    releaseLock();

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(ok(response).updateStory.story).toEqual({ headline: "Saved during shutdown", version: 2 });
    await stopping;
  });
});
