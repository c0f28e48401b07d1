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
    const story = ok(await api.graphql(`mutation { createStory(input: { headline: "Held by a lock" }) { story { id } } }`, {}, token))
      .createStory.story;

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

    const inFlight = api.graphql(
      `mutation($id: ID!) { updateStory(id: $id, expectedVersion: 1, input: { headline: "Saved during shutdown" }) { story { headline version } } }`,
      { id: story.id },
      token,
    );
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

  it("waits for an operation whose client hung up before the database may close", async () => {
    const api2 = await startTestApi();
    try {
      const { token } = await api2.tokenFor("EDITOR");
      const story = ok(await api2.graphql(`mutation { createStory(input: { headline: "Client gone" }) { story { id } } }`, {}, token))
        .createStory.story;
      let releaseLock!: () => void;
      await new Promise<void>((resolve) => {
        void api2.prisma.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT id FROM stories WHERE id = ${story.id}::uuid FOR UPDATE`;
          resolve();
          await new Promise<void>((release) => (releaseLock = release));
        });
      });
      const abandoned = new AbortController();
      const request = fetch(api2.url, {
        method: "POST",
        signal: abandoned.signal,
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: `mutation($id: ID!) { updateStory(id: $id, expectedVersion: 1, input: { headline: "Saved after the client left" }) { story { version } } }`,
          variables: { id: story.id },
        }),
      }).catch(() => "aborted");
      await new Promise((resolve) => setTimeout(resolve, 300));
      abandoned.abort();
      expect(await request).toBe("aborted");
      let stopped = false;
      const stopping = api2.stopServer().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(stopped).toBe(false);
      releaseLock();
      await stopping;
      expect((await api2.prisma.story.findUniqueOrThrow({ where: { id: story.id } })).headline).toBe("Saved after the client left");
    } finally {
      await api2.close().catch(() => {});
    }
  });
});
