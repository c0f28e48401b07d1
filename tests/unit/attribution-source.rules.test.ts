import { describe, expect, it } from "vitest";
import { assertAttributionFits, foldQuoteMarks, quoteAppearsVerbatim } from "../../src/attributions/attribution.rules.js";
import { appErrorOf } from "../support/app-error.js";
import {
  assertAnonymityApprovable,
  assertSourceConsistent,
  publicView,
  withdrawsAnonymityApproval,
} from "../../src/sources/source.rules.js";
import { bearerToken, generateToken, hashToken, TOKEN_PREFIX } from "../../src/users/token.rules.js";

const paragraph = `Al-Ghanimi praised Moscow's role, saying they had provided “our armed forces with advanced and effective equipment," according to the ministry statement.`;

describe("direct quotes", () => {
  it("fold curly marks to straight ones and nothing else", () => {
    expect(foldQuoteMarks("“a” ‘b’ „c‟ ‚d‛ \"e\" 'f' — «g»")).toBe(`"a" 'b' "c" 'd' "e" 'f' — «g»`);
  });

  it("match across curly and straight marks, but not changed words", () => {
    expect(quoteAppearsVerbatim("our armed forces with advanced and effective equipment,", paragraph)).toBe(true);
    expect(quoteAppearsVerbatim(`"our armed forces with advanced and effective equipment,"`, paragraph)).toBe(true);
    expect(quoteAppearsVerbatim("Moscow’s role", paragraph)).toBe(true);
    expect(quoteAppearsVerbatim("our armed forces with modern equipment", paragraph)).toBe(false);
    expect(quoteAppearsVerbatim("our  armed forces", paragraph)).toBe(false);
    expect(quoteAppearsVerbatim("", paragraph)).toBe(false);
  });

  it("are refused when not verbatim or empty, naming the field", () => {
    const notThere = appErrorOf(() =>
      assertAttributionFits({ kind: "DIRECT_QUOTE", quote: "we never said this" }, paragraph, "input.quote"),
    );
    expect(notThere.code).toBe("BAD_USER_INPUT");
    expect(notThere.field).toBe("input.quote");
    expect(appErrorOf(() => assertAttributionFits({ kind: "DIRECT_QUOTE", quote: "  " }, paragraph, "input.quote")).message).toMatch(
      /needs the quoted words/,
    );
    expect(() => assertAttributionFits({ kind: "PARAPHRASE", quote: "anything at all" }, paragraph, "input.quote")).not.toThrow();
  });
});

describe("sources", () => {
  it("require description and reason for an anonymous source", () => {
    expect(appErrorOf(() => assertSourceConsistent({ kind: "ANONYMOUS", anonymityReason: "safety" }, undefined, "input")).field).toBe(
      "input.anonymousDescription",
    );
    expect(
      appErrorOf(() => assertSourceConsistent({ kind: "ANONYMOUS", anonymousDescription: "an official" }, undefined, "input")).field,
    ).toBe("input.anonymityReason");
    expect(() =>
      assertSourceConsistent(
        { kind: "ANONYMOUS", anonymousDescription: "an official", anonymityReason: "not authorized to speak" },
        true,
        "input",
      ),
    ).not.toThrow();
  });

  it("refuse anonymity fields on a named source and a contradicting isAnonymous", () => {
    expect(appErrorOf(() => assertSourceConsistent({ kind: "PERSON", anonymousDescription: "x" }, undefined, "input")).field).toBe(
      "input.anonymousDescription",
    );
    expect(appErrorOf(() => assertSourceConsistent({ kind: "PERSON" }, true, "input")).field).toBe("input.isAnonymous");
  });

  it("require anonymity for terms that forbid naming the source", () => {
    expect(appErrorOf(() => assertSourceConsistent({ kind: "PERSON", terms: "ON_BACKGROUND" }, undefined, "input")).field).toBe(
      "input.terms",
    );
    expect(() => assertSourceConsistent({ kind: "PERSON", terms: "ON_THE_RECORD" }, undefined, "input")).not.toThrow();
  });

  it("show the public only an anonymous source's description, nothing that could identify it, nor who approved it", () => {
    const anonymous = {
      kind: "ANONYMOUS" as const,
      name: "Col. X (internal)",
      title: "Colonel",
      affiliation: "Army intelligence",
      anonymousDescription: "a senior official",
      anonymityReason: "safety",
      anonymityApprovedAt: new Date("2026-01-02T03:04:05Z"),
      anonymityApprovedById: "0193a1b2-0000-7000-8000-000000000001",
    };
    expect(publicView(anonymous)).toEqual({
      ...anonymous,
      name: "a senior official",
      title: null,
      affiliation: null,
      anonymityReason: null,
      anonymityApprovedAt: null,
      anonymityApprovedById: null,
    });
    const named = {
      kind: "PERSON" as const,
      name: "Frank McKenzie",
      title: "Gen.",
      affiliation: "U.S. military",
      anonymousDescription: null,
      anonymityReason: null,
      anonymityApprovedAt: null,
      anonymityApprovedById: null,
    };
    expect(publicView(named)).toEqual(named);
  });
});

describe("anonymity approval", () => {
  const source = { kind: "ANONYMOUS" as const, anonymousDescription: "a senior official", anonymityReason: "not authorized to speak" };

  it("is given to an anonymous source with a stated reason only", () => {
    expect(() => assertAnonymityApprovable(source)).not.toThrow();
    const unstated = appErrorOf(() => assertAnonymityApprovable({ ...source, anonymityReason: " " }));
    expect([unstated.code, unstated.field, unstated.details?.reason]).toEqual([
      "BAD_USER_INPUT",
      "anonymityReason",
      "ANONYMITY_REASON_MISSING",
    ]);
    const named = appErrorOf(() => assertAnonymityApprovable({ kind: "PERSON" }));
    expect([named.code, named.field, named.details?.reason]).toEqual(["BAD_USER_INPUT", "id", "NOT_ANONYMOUS"]);
  });

  it("is withdrawn when the description or reason changes, or the source is named, and kept otherwise", () => {
    expect(withdrawsAnonymityApproval(source, { ...source })).toBe(false);
    expect(withdrawsAnonymityApproval(source, { ...source, anonymityReason: " not authorized to speak " })).toBe(false);
    expect(withdrawsAnonymityApproval(source, { ...source, anonymityReason: "fear of reprisal" })).toBe(true);
    expect(withdrawsAnonymityApproval(source, { ...source, anonymousDescription: "an official" })).toBe(true);
    expect(withdrawsAnonymityApproval(source, { kind: "PERSON", anonymousDescription: null, anonymityReason: null })).toBe(true);
  });
});

describe("tokens", () => {
  it("are long, prefixed and stored as SHA-256", () => {
    const token = generateToken();
    expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toBe(hashToken(generateToken()));
  });

  it("are read from a Bearer header only", () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken("Bearer abc")).toBe("abc");
    expect(bearerToken("bearer   abc  ")).toBe("abc");
    expect(bearerToken("Basic abc")).toBeNull();
    expect(bearerToken("Bearer a b")).toBeNull();
  });
});
