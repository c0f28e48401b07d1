import { describe, expect, it } from "vitest";
import {
  assertPublishAtAhead,
  assertSchedulable,
  fellDueBeforeStart,
  HELD_ELSEWHERE_RECHECK_MS,
  MIN_WAKE_DELAY_MS,
  wakeDelayMs,
} from "../../src/scheduling/scheduling.rules.js";
import { appErrorOf } from "../support/app-error.js";

const at = (iso: string) => new Date(iso);
const NOW = at("2026-12-01T12:00:00.000Z");
const POLL_MS = 10_000;

describe("when the scheduler wakes", () => {
  it("sleeps until the next due time by the database's clock", () => {
    expect(wakeDelayMs(at("2026-12-01T12:00:01.500Z"), NOW, POLL_MS)).toBe(1500);
  });

  it("polls when nothing is scheduled, or the next story is due after the poll", () => {
    expect(wakeDelayMs(null, NOW, POLL_MS)).toBe(POLL_MS);
    expect(wakeDelayMs(at("2026-12-02T12:00:00.000Z"), NOW, POLL_MS)).toBe(POLL_MS);
  });

  it("never spins: a story due in a moment waits the least delay, one already due (held by another scheduler) a short while", () => {
    expect(wakeDelayMs(at("2026-12-01T12:00:00.001Z"), NOW, POLL_MS)).toBe(MIN_WAKE_DELAY_MS);
    expect(wakeDelayMs(NOW, NOW, POLL_MS)).toBe(HELD_ELSEWHERE_RECHECK_MS);
    expect(wakeDelayMs(at("2026-12-01T11:00:00.000Z"), NOW, POLL_MS)).toBe(HELD_ELSEWHERE_RECHECK_MS);
    expect(wakeDelayMs(NOW, NOW, 100)).toBe(100);
  });
});

describe("what can be scheduled", () => {
  const story = (status: "DRAFT" | "IN_REVIEW" | "PUBLISHED" | "ARCHIVED") => ({ id: "s", status, authorId: null });

  it("a story that could be published: DRAFT or IN_REVIEW", () => {
    expect(() => assertSchedulable(story("DRAFT"))).not.toThrow();
    expect(() => assertSchedulable(story("IN_REVIEW"))).not.toThrow();
    for (const status of ["PUBLISHED", "ARCHIVED"] as const) {
      expect(appErrorOf(() => assertSchedulable(story(status)))).toMatchObject({
        code: "CONFLICT",
        details: { reason: "INVALID_TRANSITION", status },
      });
    }
  });

  it("a time in the future only, naming publishAt otherwise", () => {
    expect(() => assertPublishAtAhead(at("2026-12-01T12:00:00.001Z"), NOW)).not.toThrow();
    for (const publishAt of [NOW, at("2026-11-30T12:00:00.000Z")]) {
      expect(appErrorOf(() => assertPublishAtAhead(publishAt, NOW))).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "publishAt",
        details: { reason: "PUBLISH_AT_IN_PAST" },
      });
    }
  });

  it("counts a story as overdue when it fell due before the scheduler started", () => {
    expect(fellDueBeforeStart(at("2026-12-01T11:59:59.999Z"), NOW)).toBe(true);
    expect(fellDueBeforeStart(NOW, NOW)).toBe(false);
  });
});
