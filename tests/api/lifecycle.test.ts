import { print } from "graphql";
import { afterEach, describe, expect, it } from "vitest";
import { CreateStoryDocument, UpdateStoryDocument, type UpdateStoryMutationVariables } from "../generated/graphql.js";
import { ok, startTestApi, type TestApi } from "../support/api.js";

/**
 * Another writer holds the story's row lock until released, so a request that saves the story
 * waits inside the server for as long as the test needs.
 */
async function holdStoryLock(api: TestApi, storyId: string): Promise<() => void> {
  let release!: () => void;
  await new Promise<void>((locked) => {
    void api.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM stories WHERE id = ${storyId}::uuid FOR UPDATE`;
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
  });
  return release;
}

/** Waits until the server no longer takes connections. */
const healthRefused = (api: TestApi) =>
  expect
    .poll(
      () =>
        fetch(api.url.replace("/graphql", "/health")).then(
          () => "answered",
          () => "refused",
        ),
      { timeout: 60_000 },
    )
    .toBe("refused");

/** Waits until the server has taken the request in; polling a count, not sleeping for a guess. */
const requestArrived = (api: TestApi) => expect.poll(() => api.inFlightRequests(), { timeout: 60_000, interval: 20 }).toBe(1);

describe("graceful shutdown", () => {
  let api: TestApi | undefined;
  afterEach(() => api?.close());

  async function storyHeldByALock(headline: string) {
    api = await startTestApi();
    const { token } = await api.tokenFor("EDITOR");
    const story = ok(await api.graphql(CreateStoryDocument, { input: { headline } }, token)).createStory.story!;
    return { api, token, story, release: await holdStoryLock(api, story.id) };
  }

  it("lets an in-flight request finish, then refuses new connections", async () => {
    const { api, token, story, release } = await storyHeldByALock("Held by a lock");
    const inFlight = api.graphql(UpdateStoryDocument, { id: story.id, v: 1, input: { headline: "Saved during shutdown" } }, token);
    await requestArrived(api);
    const stopping = api.stopServer();
    await healthRefused(api);
    release();

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(ok(response).updateStory.story).toMatchObject({ headline: "Saved during shutdown", version: 2 });
    await stopping;
    // Stopping again (a second SIGTERM, or a test's own close) waits for the first stop and is no
    // error: before, it threw, and the test's close() left its database behind.
    await expect(api.stopServer()).resolves.toBeUndefined();
  });

  it("waits for an operation whose client hung up before the database may close", async () => {
    const { api, token, story, release } = await storyHeldByALock("Client gone");
    const abandoned = new AbortController();
    // Sent with fetch rather than api.graphql, which cannot abort; the operation is still the typed one.
    const variables: UpdateStoryMutationVariables = { id: story.id, v: 1, input: { headline: "Saved after the client left" } };
    const request = fetch(api.url, {
      method: "POST",
      signal: abandoned.signal,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: print(UpdateStoryDocument), variables }),
    }).catch(() => "aborted");
    await requestArrived(api);
    abandoned.abort();
    expect(await request).toBe("aborted");

    let stopped = false;
    const stopping = api.stopServer().then(() => (stopped = true));
    // Once the server refuses connections, only the operation still waiting for its lock keeps
    // stopping from being done.
    await healthRefused(api);
    expect(api.inFlightRequests()).toBe(1);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(api.inFlightRequests()).toBe(0);
    expect((await api.prisma.story.findUniqueOrThrow({ where: { id: story.id } })).headline).toBe("Saved after the client left");
  });
});
