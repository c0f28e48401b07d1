import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase } from "../../src/db/client.js";
import { ImportWireStoryDocument, StoryLookupDocument, TouchSourceThenImportDocument } from "../generated/graphql.js";
import { AP_STORY_FILE, failure, ok, startTestApi, type TestApi } from "../support/api.js";
import { envFor, runInProject } from "../support/command.js";
import { createTestDatabase } from "../support/database.js";

const filed = readFileSync(AP_STORY_FILE, "utf8");
const [headline, caption, lede, ...rest] = filed.split(/\n\s*\n/) as [string, string, string, ...string[]];

const COUNTY_STORY = `Storm knocks out power across county

SPRINGFIELD, Ill. (AP) — A line of storms knocked out power to thousands of homes Tuesday.

“We expect most customers back by Thursday,” said Dana Whitlock, the county's emergency manager.

Crews worked through the night. "It is slow going," Whitlock said.
`;

const CLINIC_STORY = `Rural clinic closures under review

SPRINGFIELD, Ill. (AP) — The state will review the closure of three rural clinics, Gov. Teresa Alvarado said Monday.

“Nobody should have to drive two hours to see a doctor,” Alvarado said.

A state health official, who was not authorized to discuss the review publicly, said the agency would reopen the inspection files next month.

“I just want my clinic back,” one woman said. “It was the only one for 60 miles,” she added.

Senate Majority Leader Chuck Ramirez, D-Nev., said: “This is a disgrace.”
`;

describe("importing wire copy through the API", () => {
  let api: TestApi;
  let reporter: string;

  beforeAll(async () => {
    api = await startTestApi();
    reporter = (await api.tokenFor("REPORTER")).token;
  });
  afterAll(() => api?.close());

  const importText = (text: string, again?: boolean) => api.graphql(ImportWireStoryDocument, { text, again }, reporter);

  it("reproduces the AP story's headline, dateline, caption and paragraphs as a draft", async () => {
    const result = ok(await importText(filed)).importWireStory;
    expect(result.story).toMatchObject({ status: "DRAFT", headline, dateline: "BAGHDAD", credit: "AP" });
    expect(result.story.paragraphs.map((p) => p.text)).toEqual([lede.replace("BAGHDAD (AP) — ", ""), ...rest]);
    expect(result.story.photos).toEqual([
      { caption, photo: { isFilePhoto: true, takenAt: "2018-02-13T00:00:00.000Z", location: "Balad Air Base, Iraq" } },
    ]);
    expect(result.proposedAttributions).toBeGreaterThan(0);
    expect(result.story.attributions.every((a) => a.confirmed === false)).toBe(true);
    expect(ok(await api.graphql(StoryLookupDocument, { id: result.story.id })).story).toBeNull();
  });

  it("proposes each quote for the speaker its sentence names", async () => {
    const result = ok(await importText(COUNTY_STORY)).importWireStory;
    expect(result.story).toMatchObject({ dateline: "SPRINGFIELD, Ill.", credit: "AP" });
    expect(result.story.attributions.map((a) => [a.quote, a.source.name])).toEqual([
      ["We expect most customers back by Thursday,", "Dana Whitlock"],
      ["It is slow going,", "Dana Whitlock"],
    ]);
  });

  it("proposes named, titled and anonymous sources, and leaves unnamed speakers to the editor", async () => {
    const sourcesBefore = await api.prisma.source.count();
    const result = ok(await importText(CLINIC_STORY)).importWireStory;
    expect(result).toMatchObject({ paragraphCount: 5, quoteCount: 4, proposedSpeakers: 3, proposedAttributions: 3, unattributedQuotes: 2 });
    const alvarado = { kind: "PERSON", name: "Teresa Alvarado", title: "Gov.", affiliation: null, terms: "ON_THE_RECORD" };
    expect(result.story.attributions).toEqual([
      {
        kind: "DIRECT_QUOTE",
        quote: "Nobody should have to drive two hours to see a doctor,",
        confirmed: false,
        paragraph: { position: 1 },
        source: { ...alvarado, anonymousDescription: null, anonymityReason: null },
      },
      {
        kind: "PARAPHRASE",
        quote: "the agency would reopen the inspection files next month.",
        confirmed: false,
        paragraph: { position: 2 },
        source: {
          kind: "ANONYMOUS",
          name: "A state health official (AP: Rural clinic closures under review)",
          title: null,
          affiliation: null,
          terms: "NOT_FOR_ATTRIBUTION",
          anonymousDescription: "A state health official",
          anonymityReason: "was not authorized to discuss the review publicly",
        },
      },
      {
        kind: "DIRECT_QUOTE",
        quote: "This is a disgrace.",
        confirmed: false,
        paragraph: { position: 4 },
        source: {
          kind: "PERSON",
          name: "Chuck Ramirez",
          title: "Senate Majority Leader",
          affiliation: "D-Nev.",
          terms: "ON_THE_RECORD",
          anonymousDescription: null,
          anonymityReason: null,
        },
      },
    ]);
    expect(await api.prisma.source.count()).toBe(sourcesBefore + 3);
    expect(await api.prisma.source.count({ where: { name: { contains: "woman", mode: "insensitive" } } })).toBe(0);
  });

  it("answers with a quoted source's attributions as the import left them, though the request read them before", async () => {
    const editor = (await api.tokenFor("EDITOR")).token;
    const whitlock =
      (await api.prisma.source.findFirst({ where: { name: "Dana Whitlock" }, orderBy: { createdAt: "asc" } })) ??
      (await api.prisma.source.create({ data: { kind: "PERSON", name: "Dana Whitlock" } }));
    const text = COUNTY_STORY.replace("Storm knocks out power across county", "Power back in most of the county");
    const answer = ok(await api.graphql(TouchSourceThenImportDocument, { sourceId: whitlock.id, text }, editor));
    const before = answer.updateSource.source!.attributions.length;
    const quoted = answer.importWireStory.story.attributions.map((a) => a.source);
    expect(quoted.map((source) => source.id)).toEqual([whitlock.id, whitlock.id]);
    expect(quoted[0]!.attributions).toHaveLength(before + 2);
  });

  it("makes a new anonymous source for each story, since a description names nobody across stories", async () => {
    const again = CLINIC_STORY.replace("Rural clinic closures under review", "Clinic review widens");
    const result = ok(await importText(again)).importWireStory;
    expect(result.proposedSpeakers).toBe(3);
    expect(await api.prisma.source.count({ where: { kind: "ANONYMOUS", anonymousDescription: "A state health official" } })).toBe(2);
    expect(await api.prisma.source.count({ where: { name: "Teresa Alvarado" } })).toBe(1);
  });

  it("refuses the same text again with the story it made, and writes nothing", async () => {
    const first = await api.prisma.story.findFirstOrThrow({ where: { headline: "Storm knocks out power across county" } });
    const before = await api.prisma.story.count();
    const error = failure(await importText(COUNTY_STORY));
    expect(error).toMatchObject({ code: "CONFLICT", field: "input.text" });
    expect(error.extensions).toMatchObject({ reason: "DUPLICATE_WIRE_STORY", storyId: first.id, slug: first.slug });
    expect(error.message).toBe(`This wire text was already imported as story ${first.id} (${first.slug})`);
    expect(await api.prisma.story.count()).toBe(before);
  });

  it("imports the same text again when asked, still naming the first story on the next try", async () => {
    const first = await api.prisma.story.findFirstOrThrow({ where: { headline: "Storm knocks out power across county" } });
    const copy = ok(await importText(COUNTY_STORY, true)).importWireStory.story;
    expect(copy.slug).toBe(`${first.slug}-2`);
    expect((await api.prisma.story.findUniqueOrThrow({ where: { id: copy.id } })).wireContentHash).toBeNull();
    const error = failure(await importText(COUNTY_STORY));
    expect(error.extensions).toMatchObject({ reason: "DUPLICATE_WIRE_STORY", storyId: first.id });
  });

  it("lets one of two imports of the same text at once through and tells the other which story it made", async () => {
    const text = COUNTY_STORY.replace("Storm knocks out power across county", "Second storm hits county");
    const results = await Promise.all([importText(text), importText(text)]);
    const [made, ...others] = results.filter((r) => !r.errors).map((r) => ok(r).importWireStory.story);
    const refused = results.filter((r) => r.errors).map(failure);
    expect(made).toBeDefined();
    expect(others).toEqual([]);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ code: "CONFLICT", extensions: { reason: "DUPLICATE_WIRE_STORY", storyId: made?.id } });
    expect(await api.prisma.story.count({ where: { headline: "Second storm hits county" } })).toBe(1);
  });

  it("refuses a story whose paragraphs are longer than a story allows, and writes nothing", async () => {
    const before = await api.prisma.story.count();
    const text = `Long story\n\nSPRINGFIELD (AP) — ${"word ".repeat(2500)}\n\nSecond paragraph.`;
    const error = failure(await importText(text));
    expect(error).toMatchObject({ code: "BAD_USER_INPUT", field: "input.text" });
    expect(error.message).toMatch(/Paragraph 1 is \d+ characters, over the 10000/);
    expect(await api.prisma.story.count()).toBe(before);
  });

  it("refuses text that is not a wire story, naming the problem, and writes nothing", async () => {
    const before = await api.prisma.story.count();
    const error = failure(await importText("Just a headline\n\nAnd a paragraph with no dateline."));
    expect(error).toMatchObject({ code: "BAD_USER_INPUT", field: "input.text" });
    expect(error.extensions.reason).toBe("NO_DATELINE");
    expect(await api.prisma.story.count()).toBe(before);
  });
});

describe("npm run import:wire", () => {
  let folder: string;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  const importer = (...args: string[]) =>
    runInProject("npx", ["tsx", "scripts/import-wire.ts", ...args], { ...envFor(database.target), NODE_ENV: "test" });

  async function storiesInDatabase() {
    const handle = await connectDatabase(database.target);
    try {
      return await handle.prisma.story.findMany({ select: { id: true, slug: true, status: true }, orderBy: { slug: "asc" } });
    } finally {
      await handle.close();
    }
  }

  const slugsInDatabase = async () => (await storiesInDatabase()).map((story) => story.slug);
  const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  beforeAll(async () => {
    database = await createTestDatabase();
    folder = mkdtempSync(path.join(os.tmpdir(), "wire-"));
    mkdirSync(path.join(folder, "batch", "older"), { recursive: true });
    copyFileSync(AP_STORY_FILE, path.join(folder, "batch", "1-ap.txt"));
    writeFileSync(path.join(folder, "batch", "2-empty.txt"), "");
    writeFileSync(path.join(folder, "batch", "3-binary.txt"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0xff, 0xfe]));
    writeFileSync(path.join(folder, "batch", "4-county.txt"), COUNTY_STORY);
    writeFileSync(path.join(folder, "batch", "5-junk.txt"), "lorem ipsum ".repeat(200_000));
    writeFileSync(path.join(folder, "batch", "older", "clinics.txt"), CLINIC_STORY);
    writeFileSync(path.join(folder, "no-dateline.txt"), "A headline\n\nA paragraph without any dateline.\n");
  });
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await database?.drop();
  });

  it("refuses a file that is not a story with a clear message, a non-zero exit, and nothing written", async () => {
    const result = await importer(path.join(folder, "no-dateline.txt"));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^\[1\/1\] refused .*no-dateline\.txt: No dateline lede .*\. Nothing was written\.$/m);
    expect(result.stderr).not.toMatch(/\.[;.] /);
    expect(result.stdout).toContain("1 file: 0 imported, 1 refused");
    expect(await storiesInDatabase()).toEqual([]);
  });

  it("imports a folder file by file, saying what it found in each, naming the folders it skips", async () => {
    const result = await importer(path.join(folder, "batch"));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^skipped folder .*batch/older: run with --recursive`, "m"));
    expect(result.stdout).toMatch(
      new RegExp(`^\\[1/5\\] imported .*1-ap\\.txt as ${UUID} iraq-considers-deepening-military-ties-with-russia \\(DRAFT\\)$`, "m"),
    );
    expect(result.stdout).toMatch(
      /^ {5} 12 paragraphs, 5 quotes found, 2 speakers proposed for 2 attributions to confirm, 3 quotes left unattributed$/m,
    );
    expect(result.stdout).toMatch(
      new RegExp(`^\\[4/5\\] imported .*4-county\\.txt as ${UUID} storm-knocks-out-power-across-county \\(DRAFT\\)$`, "m"),
    );
    expect(result.stdout).toMatch(
      /^ {5} 3 paragraphs, 2 quotes found, 1 speaker proposed for 2 attributions to confirm, 0 quotes left unattributed$/m,
    );
    expect(result.stderr).toMatch(
      /^\[2\/5\] refused .*2-empty\.txt: The wire text is empty or contains only whitespace\. Nothing was written\.$/m,
    );
    expect(result.stderr).toMatch(/^\[3\/5\] refused .*3-binary\.txt: .*\. Nothing was written\.$/m);
    expect(result.stderr).toMatch(
      /^\[5\/5\] refused .*5-junk\.txt: It is over 1048576 bytes; a wire story is far smaller\. Nothing was written\.$/m,
    );
    expect(result.stdout).toContain("5 files: 2 imported, 3 refused; 1 folder skipped");
    expect(await slugsInDatabase()).toEqual(["iraq-considers-deepening-military-ties-with-russia", "storm-knocks-out-power-across-county"]);
  });

  it("refuses a text it already imported, naming the story it made, unless told --again", async () => {
    const [ap] = await storiesInDatabase();
    const refused = await importer(path.join(folder, "batch", "1-ap.txt"));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `refused ${path.join(folder, "batch", "1-ap.txt")}: This wire text was already imported as story ${ap!.id} (${ap!.slug}). ` +
        "Nothing was written. Use --again to import it anyway.",
    );
    expect(await slugsInDatabase()).toHaveLength(2);

    const again = await importer("--again", path.join(folder, "batch", "1-ap.txt"));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/imported .*1-ap\.txt as .* iraq-considers-deepening-military-ties-with-russia-2 \(DRAFT\)/);
    expect(await slugsInDatabase()).toHaveLength(3);
  });

  it("imports the folders inside a folder with --recursive", async () => {
    const result = await importer("--recursive", path.join(folder, "batch", "older"), path.join(folder, "batch"));
    expect(result.stdout).not.toContain("skipped folder");
    expect(result.stdout).toMatch(/^\[1\/7\] imported .*older\/clinics\.txt as .* rural-clinic-closures-under-review \(DRAFT\)$/m);
    expect(result.stderr).toMatch(/^\[7\/7\] refused .*older\/clinics\.txt: This wire text was already imported as story/m);
    expect(result.stdout).toContain("7 files: 1 imported, 6 refused");
  });

  it("says how to use it when given an option it does not know", async () => {
    const result = await importer("--recurse", folder);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--recurse'");
    expect(result.stderr).toContain("usage: npm run import:wire -- [--again] [--recursive]");
  });
});
