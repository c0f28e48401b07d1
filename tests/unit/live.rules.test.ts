import { describe, expect, it } from "vitest";
import { STORY_EVENT_ACTIONS } from "../../src/audit/audit.rules.js";
import {
  kindOfEvent,
  publicHearsOnceLoaded,
  showsStoryWith,
  STORY_CHANGE_KINDS,
  viewerHearsOf,
  type EventFacts,
} from "../../src/live/live.rules.js";
import type { Viewer } from "../../src/users/users.rules.js";

const staff: Viewer = { id: "0190a5c4-0000-7000-8000-000000000001", name: "Desk", role: "REPORTER" };
const event = (kind: EventFacts["kind"], fromStatus: EventFacts["fromStatus"], toStatus: EventFacts["toStatus"]): EventFacts => ({
  kind,
  fromStatus,
  toStatus,
});

describe("the kinds the live desk reports", () => {
  it("names every audit action with a kind, its own where the contract has it", () => {
    const kinds = Object.fromEntries(STORY_EVENT_ACTIONS.map((action) => [action, kindOfEvent(action, false)]));
    expect(kinds).toMatchObject({
      CREATED: "CREATED",
      IMPORTED: "IMPORTED",
      UPDATED: "UPDATED",
      SUBMITTED: "SUBMITTED",
      PUBLISHED: "PUBLISHED",
      UNPUBLISHED: "UNPUBLISHED",
      KILLED: "KILLED",
      ATTRIBUTION_ADDED: "ATTRIBUTION_CONFIRMED",
      ATTRIBUTION_CONFIRMED: "ATTRIBUTION_CONFIRMED",
      EDITING_STARTED: "EDITING_STARTED",
      EDITING_ENDED: "EDITING_ENDED",
      PARAGRAPH_MOVED: "UPDATED",
      RETURNED_TO_DRAFT: "UPDATED",
    });
    expect(Object.values(kinds).every((kind) => (STORY_CHANGE_KINDS as readonly string[]).includes(kind))).toBe(true);
  });

  it("reports an action added later as UPDATED, and a proposal under its own kind", () => {
    expect(kindOfEvent("EMBARGO_LIFTED", false)).toBe("UPDATED");
    expect(kindOfEvent("ATTRIBUTION_PROPOSED", false)).toBe("ATTRIBUTION_PROPOSED");
  });

  it("makes any change that came with a correction note CORRECTED, but not who is editing", () => {
    expect(kindOfEvent("PARAGRAPH_EDITED", true)).toBe("CORRECTED");
    expect(kindOfEvent("UPDATED", true)).toBe("CORRECTED");
    expect(kindOfEvent("EDITING_STARTED", true)).toBe("EDITING_STARTED");
  });
});

describe("who hears of an event on storyChanged", () => {
  it("tells staff everything", () => {
    expect(viewerHearsOf(staff, event("UPDATED", "DRAFT", "DRAFT"))).toBe(true);
    expect(viewerHearsOf(staff, event("EDITING_STARTED", "PUBLISHED", "PUBLISHED"))).toBe(true);
  });

  it("tells the public of changes that leave a story published or take it out, never of drafts or who is editing", () => {
    expect(viewerHearsOf(null, event("UPDATED", "DRAFT", "DRAFT"))).toBe(false);
    expect(viewerHearsOf(null, event("SUBMITTED", "DRAFT", "IN_REVIEW"))).toBe(false);
    expect(viewerHearsOf(null, event("PUBLISHED", "IN_REVIEW", "PUBLISHED"))).toBe(true);
    expect(viewerHearsOf(null, event("CORRECTED", "PUBLISHED", "PUBLISHED"))).toBe(true);
    expect(viewerHearsOf(null, event("UNPUBLISHED", "PUBLISHED", "DRAFT"))).toBe(true);
    expect(viewerHearsOf(null, event("EDITING_STARTED", "PUBLISHED", "PUBLISHED"))).toBe(false);
  });

  it("tells the public nothing of a story it cannot read now (under embargo), but of its leaving publication", () => {
    expect(publicHearsOnceLoaded(event("UPDATED", "PUBLISHED", "PUBLISHED"), true)).toBe(true);
    expect(publicHearsOnceLoaded(event("UPDATED", "PUBLISHED", "PUBLISHED"), false)).toBe(false);
    expect(publicHearsOnceLoaded(event("PUBLISHED", "IN_REVIEW", "PUBLISHED"), false)).toBe(false);
    expect(publicHearsOnceLoaded(event("KILLED", "PUBLISHED", "KILLED"), false)).toBe(true);
  });

  it("shows the public the story only with an event that left it published, and only when it may read it now", () => {
    expect(showsStoryWith(null, event("PUBLISHED", "DRAFT", "PUBLISHED"), true)).toBe(true);
    expect(showsStoryWith(null, event("PUBLISHED", "DRAFT", "PUBLISHED"), false)).toBe(false);
    expect(showsStoryWith(null, event("UNPUBLISHED", "PUBLISHED", "DRAFT"), true)).toBe(false);
    expect(showsStoryWith(staff, event("UPDATED", "DRAFT", "DRAFT"), true)).toBe(true);
    expect(showsStoryWith(staff, event("UPDATED", "DRAFT", "DRAFT"), false)).toBe(false);
  });
});
