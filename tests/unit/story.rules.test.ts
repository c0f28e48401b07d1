import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { appErrorOf } from "../support/app-error.js";
import {
  WORKFLOW,
  authorizeDelete,
  authorizeEdit,
  authorizeTransition,
  checkVersion,
  listCountPlan,
  nextFreeSlug,
  reorder,
  STORY_STATUSES,
  type StoryStatus,
  type WorkflowAction,
} from "../../src/stories/story.rules.js";
import type { Staff } from "../../src/users/users.rules.js";

const reporter: Staff = { id: "r1", name: "Rita Reporter", role: "REPORTER" };
const otherReporter: Staff = { id: "r2", name: "Omar Other", role: "REPORTER" };
const editor: Staff = { id: "e1", name: "Eddie Editor", role: "EDITOR" };
const admin: Staff = { id: "a1", name: "Ada Admin", role: "ADMIN" };
const story = (status: StoryStatus, authorId = "r1") => ({ id: "s1", status, authorId });

const codeOf = (action: () => unknown) => appErrorOf(action).code;

describe("publishing workflow", () => {
  const expected: Record<WorkflowAction, [StoryStatus[], StoryStatus]> = {
    submit: [["DRAFT"], "IN_REVIEW"],
    returnToDraft: [["IN_REVIEW"], "DRAFT"],
    publish: [["DRAFT", "IN_REVIEW"], "PUBLISHED"],
    unpublish: [["PUBLISHED"], "DRAFT"],
    archive: [["DRAFT", "IN_REVIEW", "PUBLISHED"], "ARCHIVED"],
    restore: [["ARCHIVED"], "DRAFT"],
    kill: [["DRAFT", "IN_REVIEW", "PUBLISHED", "ARCHIVED"], "KILLED"],
  };

  for (const [action, [from, to]] of Object.entries(expected) as [WorkflowAction, [StoryStatus[], StoryStatus]][]) {
    for (const status of STORY_STATUSES) {
      const legal = from.includes(status);
      it(`${action} from ${status} is ${legal ? `legal and leads to ${to}` : "refused with CONFLICT"}`, () => {
        if (legal) expect(authorizeTransition(editor, story(status), action)).toBe(to);
        else expect(codeOf(() => authorizeTransition(editor, story(status), action))).toBe("CONFLICT");
      });
    }
  }

  it("lets a reporter submit their own draft, not someone else's", () => {
    expect(authorizeTransition(reporter, story("DRAFT"), "submit")).toBe("IN_REVIEW");
    expect(codeOf(() => authorizeTransition(otherReporter, story("DRAFT"), "submit"))).toBe("FORBIDDEN");
  });

  it("keeps publishing, unpublishing, archiving and restoring for editors and admins", () => {
    for (const action of ["publish", "unpublish", "archive", "restore", "returnToDraft", "kill"] as const) {
      const status = WORKFLOW[action].from[0]!;
      expect(codeOf(() => authorizeTransition(reporter, story(status), action))).toBe("FORBIDDEN");
      expect(authorizeTransition(admin, story(status), action)).toBe(WORKFLOW[action].to);
    }
  });

  it("asks the public to sign in before any step", () => {
    expect(codeOf(() => authorizeTransition(null, story("DRAFT"), "submit"))).toBe("UNAUTHENTICATED");
  });
});

describe("who may edit", () => {
  it("lets reporters edit only their own drafts", () => {
    expect(authorizeEdit(reporter, story("DRAFT"))).toBe(reporter);
    expect(codeOf(() => authorizeEdit(otherReporter, story("DRAFT")))).toBe("FORBIDDEN");
    expect(codeOf(() => authorizeEdit(reporter, story("IN_REVIEW")))).toBe("FORBIDDEN");
    expect(codeOf(() => authorizeEdit(reporter, story("PUBLISHED")))).toBe("FORBIDDEN");
  });

  it("lets editors edit any story that is not archived or killed", () => {
    for (const status of ["DRAFT", "IN_REVIEW", "PUBLISHED"] as const) expect(authorizeEdit(editor, story(status, "r2"))).toBe(editor);
    expect(codeOf(() => authorizeEdit(editor, story("ARCHIVED")))).toBe("CONFLICT");
  });

  it("refuses any edit of a killed story, to editors and admins too, as an invalid transition", () => {
    for (const staff of [reporter, editor, admin]) {
      const error = appErrorOf(() => authorizeEdit(staff, story("KILLED")));
      expect({ code: error.code, details: error.details }).toEqual({
        code: "CONFLICT",
        details: { reason: "INVALID_TRANSITION", status: "KILLED" },
      });
    }
  });

  it("keeps a killed story killed: no step leads out of KILLED, and it cannot be deleted", () => {
    for (const action of Object.keys(WORKFLOW) as WorkflowAction[]) {
      const error = appErrorOf(() => authorizeTransition(editor, story("KILLED"), action));
      expect({ code: error.code, reason: error.details?.reason }, action).toEqual({ code: "CONFLICT", reason: "INVALID_TRANSITION" });
    }
    expect(codeOf(() => authorizeDelete(editor, story("KILLED")))).toBe("CONFLICT");
  });

  it("deletes drafts only", () => {
    expect(authorizeDelete(reporter, story("DRAFT"))).toBe(reporter);
    expect(codeOf(() => authorizeDelete(otherReporter, story("DRAFT")))).toBe("FORBIDDEN");
    expect(codeOf(() => authorizeDelete(editor, story("PUBLISHED")))).toBe("CONFLICT");
  });
});

describe("optimistic concurrency", () => {
  it("passes the version that was read and refuses any other with the current one", () => {
    expect(() => checkVersion(3, 3)).not.toThrow();
    try {
      checkVersion(4, 3);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("CONFLICT");
      expect((error as AppError).field).toBe("expectedVersion");
      expect((error as AppError).details).toEqual({ reason: "STALE_VERSION", currentVersion: 4 });
    }
  });
});

describe("slugs and ordering", () => {
  it("finds the next free slug", () => {
    expect(nextFreeSlug("floods", new Set())).toBe("floods");
    expect(nextFreeSlug("floods", new Set(["floods", "floods-2"]))).toBe("floods-3");
  });

  it("keeps a suffixed slug within the length limit", () => {
    const long = "a".repeat(200);
    const next = nextFreeSlug(long, new Set([long]));
    expect(next.length).toBeLessThanOrEqual(200);
    expect(next.endsWith("-2")).toBe(true);
  });

  it("moves an item and clamps the target position", () => {
    expect(reorder(["a", "b", "c", "d"], "a", 2)).toEqual(["b", "c", "a", "d"]);
    expect(reorder(["a", "b", "c", "d"], "d", 0)).toEqual(["d", "a", "b", "c"]);
    expect(reorder(["a", "b", "c"], "a", 99)).toEqual(["b", "c", "a"]);
    expect(() => reorder(["a"], "z", 0)).toThrow(/not in the list/);
  });
});

describe("how a list limited by status alone is counted", () => {
  const now = new Date("2026-12-01T12:00:00.000Z");
  const embargoed = { status: "PUBLISHED", embargoedUntil: { gt: now } };

  it("is every status for staff, PUBLISHED alone for the public, narrowed by a status filter", () => {
    expect(listCountPlan(editor, null, now)).toEqual({ statuses: [...STORY_STATUSES], heldBack: null });
    expect(listCountPlan(reporter, "DRAFT", now)).toEqual({ statuses: ["DRAFT"], heldBack: null });
    expect(listCountPlan(null, "DRAFT", now)).toEqual({ statuses: [], heldBack: null });
  });

  it("takes from the public's PUBLISHED count the published stories still under embargo", () => {
    expect(listCountPlan(null, null, now)).toEqual({ statuses: ["PUBLISHED"], heldBack: embargoed });
    expect(listCountPlan(null, "PUBLISHED", now)).toEqual({ statuses: ["PUBLISHED"], heldBack: embargoed });
    // Staff read embargoed stories: nothing held back from their count.
    expect(listCountPlan(editor, "PUBLISHED", now)).toEqual({ statuses: ["PUBLISHED"], heldBack: null });
  });
});
