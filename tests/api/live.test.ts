import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  BeginEditingDocument,
  CreateStoryDocument,
  DeskActivityDocument,
  EndEditingDocument,
  PublishStoryDocument,
  RevokeTokensDocument,
  StoryBodyChangedDocument,
  StoryChangedDocument,
  StoryEditorsDocument,
  UnpublishStoryDocument,
  UpdateStoryDocument,
} from "../generated/graphql.js";
import { failure, ok, startTestApi, type TestApi } from "../support/api.js";
import { liveClient, subscriptionsInPlace, type LiveClient } from "../support/live.js";
import { waitUntil } from "../support/wait.js";

const WAIT_MS = 60_000;

describe("the live desk over graphql-ws", { timeout: 300_000 }, () => {
  let api: TestApi;
  let editor: { token: string; userId: string };
  let reporter: { token: string; userId: string };
  let admin: string;
  const clients: LiveClient[] = [];
  /** Every server the tests subscribe on. */
  const servers: TestApi[] = [];

  /** A graphql-ws client on the server's GraphQL URL, disposed after the test. */
  function connect(on: TestApi, token?: string): LiveClient {
    const client = liveClient(on.url, token);
    clients.push(client);
    if (!servers.includes(on)) servers.push(on);
    return client;
  }

  /** Subscribes and waits until the server has the subscription in place, so that no change made next is missed. */
  async function subscribed<T>(on: TestApi, subscribe: () => T): Promise<T> {
    const before = on.liveSubscriptions();
    const received = subscribe();
    await subscriptionsInPlace(on, before + 1);
    return received;
  }

  async function draft(headline: string, paragraphs = ["Talks resumed on Monday."]) {
    return ok(await api.graphql(CreateStoryDocument, { input: { headline, paragraphs } }, editor.token)).createStory.story!;
  }

  beforeAll(async () => {
    api = await startTestApi();
    editor = await api.tokenFor("EDITOR", "Eddie Editor");
    reporter = await api.tokenFor("REPORTER", "Rita Reporter");
    admin = (await api.tokenFor("ADMIN")).token;
  }, 120_000);
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.dispose();
    // Each test counts the subscriptions it makes: the last test's must be gone first.
    await waitUntil(() => servers.every((server) => server.liveSubscriptions() === 0), "the last test's subscriptions to end", WAIT_MS);
  });
  afterAll(() => api?.close());

  it("tells a storyChanged subscriber of each committed change with the new version, and deskActivity who made it", async () => {
    const story = await draft("Ceasefire talks resume");
    const desk = connect(api, reporter.token);
    const changes = await subscribed(api, () => desk.subscribe(StoryChangedDocument, { id: story.id }));
    const activity = await subscribed(api, () => desk.subscribe(DeskActivityDocument, {}));

    const edited = ok(
      await api.graphql(
        UpdateStoryDocument,
        { id: story.id, v: story.version, input: { summary: "Both sides sent envoys." } },
        editor.token,
      ),
    ).updateStory.story!;
    const updated = await changes.waitFor((change) => change.storyChanged.kind === "UPDATED", "UPDATED on storyChanged");
    expect(updated.storyChanged).toMatchObject({
      action: "UPDATED",
      version: edited.version,
      story: { id: story.id, version: edited.version, status: "DRAFT" },
      actor: { name: "Eddie Editor" },
    });

    const published = ok(await api.graphql(PublishStoryDocument, { id: story.id, v: edited.version }, editor.token)).step.story!;
    const heard = await activity.waitFor((event) => event.deskActivity.kind === "PUBLISHED", "PUBLISHED on deskActivity");
    expect(heard.deskActivity).toMatchObject({
      storyId: story.id,
      version: published.version,
      actor: { name: "Eddie Editor" },
      story: { id: story.id, headline: "Ceasefire talks resume" },
    });
    expect(Date.parse(heard.deskActivity.at)).not.toBeNaN();
    // In commit order: the edit, then the publication.
    expect(changes.data().map((change) => [change.storyChanged.kind, change.storyChanged.version])).toEqual([
      ["UPDATED", edited.version],
      ["PUBLISHED", published.version],
    ]);
  });

  it("refuses deskActivity to the public, and to a token that names nobody", async () => {
    const reader = connect(api).subscribe(DeskActivityDocument, {});
    await waitUntil(() => reader.completed || reader.error !== undefined, "the public's deskActivity to end", WAIT_MS);
    expect(reader.results[0]?.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED" });

    const stranger = connect(api, "nws_not-a-token");
    stranger.subscribe(DeskActivityDocument, {});
    expect(await stranger.closed).toMatchObject({ code: 4403 });
  });

  it("never tells the public of a draft, nor shows it draft content, and tells it when its story leaves publication", async () => {
    const story = await draft("Leaked draft headline");
    const reader = await subscribed(api, () => connect(api).subscribe(StoryChangedDocument, { id: story.id }));
    const staff = await subscribed(api, () => connect(api, reporter.token).subscribe(StoryChangedDocument, { id: story.id }));

    const renamed = ok(
      await api.graphql(UpdateStoryDocument, { id: story.id, v: story.version, input: { headline: "Ministers meet" } }, editor.token),
    ).updateStory.story!;
    const published = ok(await api.graphql(PublishStoryDocument, { id: story.id, v: renamed.version }, editor.token)).step.story!;
    const unpublished = ok(await api.graphql(UnpublishStoryDocument, { id: story.id, v: published.version }, editor.token)).step.story!;

    await reader.waitFor((change) => change.storyChanged.kind === "UNPUBLISHED", "UNPUBLISHED for the public");
    await staff.waitFor((change) => change.storyChanged.kind === "UNPUBLISHED", "UNPUBLISHED for staff");
    // The public heard of the publication and the unpublication only: never of the draft's edits.
    expect(reader.data().map((change) => change.storyChanged)).toEqual([
      expect.objectContaining({
        kind: "PUBLISHED",
        version: published.version,
        story: expect.objectContaining({ headline: "Ministers meet" }),
        actor: null,
      }),
      expect.objectContaining({ kind: "UNPUBLISHED", version: unpublished.version, story: null, actor: null }),
    ]);
    expect(JSON.stringify(reader.results)).not.toContain("Leaked draft headline");
    expect(staff.data().map((change) => change.storyChanged.kind)).toEqual(["UPDATED", "PUBLISHED", "UNPUBLISHED"]);
  });

  it("tells the public nothing of a published story under embargo until the embargo is lifted", async () => {
    const story = await draft("Embargoed budget figures");
    const later = new Date(Date.now() + 24 * 3600_000).toISOString();
    const embargoed = ok(
      await api.graphql(UpdateStoryDocument, { id: story.id, v: story.version, input: { embargoedUntil: later } }, editor.token),
    ).updateStory.story!;
    const reader = await subscribed(api, () => connect(api).subscribe(StoryChangedDocument, { id: story.id }));
    const published = ok(await api.graphql(PublishStoryDocument, { id: story.id, v: embargoed.version }, editor.token)).step.story!;
    const edited = ok(
      await api.graphql(
        UpdateStoryDocument,
        { id: story.id, v: published.version, input: { summary: "Figures out Friday.", minorEditReason: "Summary before release" } },
        editor.token,
      ),
    ).updateStory.story!;
    const lifted = ok(
      await api.graphql(UpdateStoryDocument, { id: story.id, v: edited.version, input: { embargoedUntil: null } }, editor.token),
    ).updateStory.story!;

    await reader.waitFor((change) => change.storyChanged.version === lifted.version, "the lift");
    // The publication and the edit under embargo were not the public's to hear of, not even without the story.
    expect(reader.data().map((change) => change.storyChanged.version)).toEqual([lifted.version]);
    expect(reader.data()[0]!.storyChanged.story).toEqual(expect.objectContaining({ id: story.id, headline: "Embargoed budget figures" }));
  });

  it("sends nothing for a change that rolled back: a stale version, or an edit refused after it was written", async () => {
    const story = await draft("Bridge reopens");
    const live = ok(await api.graphql(PublishStoryDocument, { id: story.id, v: story.version }, editor.token)).step.story!;
    const desk = await subscribed(api, () => connect(api, reporter.token).subscribe(StoryChangedDocument, { id: story.id }));

    const stale = await api.graphql(
      UpdateStoryDocument,
      { id: story.id, v: live.version - 1, input: { summary: "Never saved" } },
      editor.token,
    );
    expect(failure(stale).code).toBe("CONFLICT");
    // Refused inside the transaction, after the change and its audit event were written: all of it rolls back.
    const words = { paragraphs: ["The bridge reopened on Tuesday."] };
    const unnoted = await api.graphql(UpdateStoryDocument, { id: story.id, v: live.version, input: words }, editor.token);
    expect(failure(unnoted)).toMatchObject({ code: "BAD_USER_INPUT", extensions: { reason: "CORRECTION_REQUIRED" } });
    const saved = ok(
      await api.graphql(
        UpdateStoryDocument,
        { id: story.id, v: live.version, input: { ...words, minorEditReason: "Day fixed" } },
        editor.token,
      ),
    ).updateStory.story!;

    // Events come in commit order: once the saved change has arrived, nothing came before it.
    await desk.waitFor((change) => change.storyChanged.version === saved.version, "the saved change");
    expect(desk.data().map((change) => [change.storyChanged.kind, change.storyChanged.version])).toEqual([["UPDATED", saved.version]]);
  });

  it("closes a connection whose token is revoked, with 4403", async () => {
    const victim = await api.tokenFor("REPORTER", "Revoked Reporter");
    const client = connect(api, victim.token);
    await subscribed(api, () => client.subscribe(DeskActivityDocument, {}));
    ok(await api.graphql(RevokeTokensDocument, { userId: victim.userId }, admin));
    expect(await client.closed).toMatchObject({ code: 4403 });
  });

  it("shows two editors of one story to each other, and reports their joins and leaves", async () => {
    const story = await draft("Storm warning");
    const activity = await subscribed(api, () => connect(api, editor.token).subscribe(DeskActivityDocument, {}));

    const lease = ok(await api.graphql(BeginEditingDocument, { storyId: story.id }, editor.token)).beginEditing;
    expect(lease).toMatchObject({ storyId: story.id, user: { name: "Eddie Editor" } });
    expect(Date.parse(lease.expiresAt)).toBeGreaterThan(Date.parse(lease.startedAt));
    ok(await api.graphql(BeginEditingDocument, { storyId: story.id }, reporter.token));
    // The heartbeat renews the lease: no second join.
    const renewed = ok(await api.graphql(BeginEditingDocument, { storyId: story.id }, editor.token)).beginEditing;
    expect(renewed.startedAt).toBe(lease.startedAt);

    for (const token of [editor.token, reporter.token]) {
      const editors = ok(await api.graphql(StoryEditorsDocument, { id: story.id }, token)).story!.editors;
      expect(editors.map((user) => user.name)).toEqual(["Eddie Editor", "Rita Reporter"]);
    }
    expect(ok(await api.graphql(EndEditingDocument, { storyId: story.id }, reporter.token)).endEditing).toBe(true);
    expect(ok(await api.graphql(EndEditingDocument, { storyId: story.id }, reporter.token)).endEditing).toBe(false);
    expect(ok(await api.graphql(StoryEditorsDocument, { id: story.id }, editor.token)).story!.editors.map((user) => user.name)).toEqual([
      "Eddie Editor",
    ]);

    await activity.waitFor((event) => event.deskActivity.kind === "EDITING_ENDED", "EDITING_ENDED");
    const ofStory = activity.data().filter((event) => event.deskActivity.storyId === story.id);
    expect(ofStory.map((event) => [event.deskActivity.kind, event.deskActivity.actor?.name])).toEqual([
      ["EDITING_STARTED", "Eddie Editor"],
      ["EDITING_STARTED", "Rita Reporter"],
      ["EDITING_ENDED", "Rita Reporter"],
    ]);
    // Who is editing is the newsroom's: not for the public, who reads no drafts anyway.
    const begun = await api.graphql(BeginEditingDocument, { storyId: story.id });
    expect(failure(begun).code).toBe("UNAUTHENTICATED");
  });

  describe("with short leases and tight limits", () => {
    let tight: TestApi;
    beforeAll(async () => {
      tight = await startTestApi({
        EDITING_LEASE_SECONDS: "1",
        LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: "3",
        LIVE_MAX_CONNECTIONS_PER_TOKEN: "2",
        LIVE_SUBSCRIBER_QUEUE: "3",
        LIVE_MAX_BUFFERED_KB: "64",
        LIVE_CONNECTION_INIT_SECONDS: "1",
      });
    }, 120_000);
    afterAll(() => tight?.close());

    it("ends a lease whose heartbeats stop, and reports it", async () => {
      const { token } = await tight.tokenFor("EDITOR", "Lapsing Editor");
      const story = ok(await tight.graphql(CreateStoryDocument, { input: { headline: "Quiet day" } }, token)).createStory.story!;
      const activity = await subscribed(tight, () => connect(tight, token).subscribe(DeskActivityDocument, {}));
      ok(await tight.graphql(BeginEditingDocument, { storyId: story.id }, token));

      const ended = await activity.waitFor((event) => event.deskActivity.kind === "EDITING_ENDED", "the lapsed lease's EDITING_ENDED");
      expect(ended.deskActivity).toMatchObject({ storyId: story.id, actor: { name: "Lapsing Editor" } });
      expect(ok(await tight.graphql(StoryEditorsDocument, { id: story.id }, token)).story!.editors).toEqual([]);
    });

    it("closes a socket that never sends connection_init, with graphql-ws's 4408", async () => {
      const idle = new WebSocket(tight.url.replace(/^http/, "ws"), "graphql-transport-ws");
      try {
        const code = await new Promise<number>((resolve) => idle.once("close", resolve));
        expect(code).toBe(4408);
      } finally {
        idle.terminate();
      }
    });

    it("closes a connection that asks for more subscriptions than allowed, with 4430", async () => {
      const { token } = await tight.tokenFor("REPORTER");
      const client = connect(tight, token);
      for (let i = 0; i < 4; i++) client.subscribe(DeskActivityDocument, {});
      expect(await client.closed).toMatchObject({ code: 4430 });
    });

    it("refuses a token more connections than allowed, with 4431", async () => {
      const { token } = await tight.tokenFor("REPORTER");
      const first = connect(tight, token);
      const second = connect(tight, token);
      await subscribed(tight, () => first.subscribe(DeskActivityDocument, {}));
      await subscribed(tight, () => second.subscribe(DeskActivityDocument, {}));
      const third = connect(tight, token);
      third.subscribe(DeskActivityDocument, {});
      expect(await third.closed).toMatchObject({ code: 4431 });
    });

    it("drops a subscriber that stops reading, with 4432, without delaying another's events", async () => {
      const { token } = await tight.tokenFor("EDITOR");
      // A body of about 350 kB, random so that nothing along the way makes it smaller.
      const paragraphs = Array.from({ length: 40 }, () => randomBytes(4300).toString("base64"));
      const story = ok(await tight.graphql(CreateStoryDocument, { input: { headline: "Budget in full", paragraphs } }, token)).createStory
        .story!;

      const stalled = connect(tight, token);
      await subscribed(tight, () => stalled.subscribe(StoryBodyChangedDocument, { id: story.id }));
      const healthy = await subscribed(tight, () => connect(tight, token).subscribe(StoryChangedDocument, { id: story.id }));
      stalled.socket()!.pause();

      // Edits until the server gives up on the stalled subscriber: its socket's buffers fill, then its queue.
      const subscriptions = tight.liveSubscriptions();
      const versions: number[] = [];
      let version = story.version;
      for (let edit = 1; tight.liveSubscriptions() === subscriptions; edit++) {
        if (edit > 200) throw new Error("the stalled subscriber was never dropped");
        const input = { summary: `Edit ${edit}` };
        version = ok(await tight.graphql(UpdateStoryDocument, { id: story.id, v: version, input }, token)).updateStory.story!.version;
        versions.push(version);
      }

      // The other subscriber heard every edit, in order, including those made while the stalled one was stuck.
      await healthy.waitFor((change) => change.storyChanged.version === version, "the last edit on the healthy subscription");
      expect(healthy.data().map((change) => change.storyChanged.version)).toEqual(versions);
      stalled.socket()!.resume();
      expect(await stalled.closed).toMatchObject({ code: 4432 });
    });
  });
});
