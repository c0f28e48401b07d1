import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cpuGrowth, EIGHTFOLD_GROWTH_LIMIT } from "../../support/cpu-growth.js";
import { junk } from "../../support/junk.js";
import {
  parseWireStory,
  WIRE_HEADLINE_MAX_CHARS,
  WIRE_TEXT_MAX_BYTES,
  WireFormatError,
  type WireFormatProblem,
} from "../../../src/wire/wire.parser.js";

const seed = readFileSync(new URL("../../../seeds/ap-iraq-russia-military-ties.txt", import.meta.url), "utf8");
const seedHeadline = "Iraq considers deepening military ties with Russia";

function wireError(run: () => unknown): WireFormatError {
  try {
    run();
  } catch (error) {
    if (error instanceof WireFormatError) return error;
    throw error;
  }
  throw new Error("expected a WireFormatError, but parsing succeeded");
}

function expectProblem(text: string, problem: WireFormatProblem): WireFormatError {
  const error = wireError(() => parseWireStory(text));
  expect(error.problem).toBe(problem);
  expect(error.name).toBe("WireFormatError");
  return error;
}

describe("parseWireStory on the filed AP story", () => {
  const story = parseWireStory(seed);
  // The file separates paragraphs with exactly one blank line, so this split is the ground truth.
  const blocks = seed.split("\n\n");

  it("reads the headline, dateline, credit and separator", () => {
    expect(story.headline).toBe(seedHeadline);
    expect(story.dateline).toBe("BAGHDAD");
    expect(story.credit).toBe("AP");
    expect(story.datelineSeparator).toBe(" \u2014 ");
  });

  it("keeps exactly the 12 body paragraphs verbatim, the lede without its dateline", () => {
    expect(blocks).toHaveLength(14);
    expect(story.paragraphs).toHaveLength(12);
    expect(story.paragraphs[0]).toBe(blocks[2]!.slice("BAGHDAD (AP) \u2014 ".length));
    expect(story.paragraphs.slice(1)).toEqual(blocks.slice(3));
    expect(story.paragraphs[0]!.startsWith("Iraq and Russia discussed prospects")).toBe(true);
  });

  it("keeps the filed typos and typography untouched", () => {
    expect(story.paragraphs[2]).toContain("Jan. 3 U .S. drone strike");
    expect(story.paragraphs[7]).toContain("fraught US.-Iraq relations");
    expect(story.paragraphs[3]).toContain("\u201Cour armed forces");
    expect(story.paragraphs[3]).toContain('many battles," according');
  });

  it("reassembles the body section byte for byte", () => {
    const [lede, ...rest] = story.paragraphs;
    const reassembled = [`${story.dateline} (${story.credit})${story.datelineSeparator}${lede}`, ...rest].join("\n\n");
    const bodySection = seed.slice(seed.indexOf("BAGHDAD (AP)"));
    expect(Buffer.from(reassembled, "utf8").equals(Buffer.from(bodySection, "utf8"))).toBe(true);
  });

  it("parses the FILE photo caption", () => {
    expect(story.photo).toEqual({
      caption: blocks[1],
      isFilePhoto: true,
      takenOn: "2018-02-13",
      location: "Balad Air Base, Iraq",
      credit: null,
    });
  });

  it("finds the five quotes verbatim, naming the speakers an editor would name", () => {
    const named = (name: string, title: string | null) => ({ kind: "PERSON", name, title, affiliation: null, anonymityReason: null });
    const unnamed = (name: string) => ({ kind: "UNNAMED", name, title: null, affiliation: null, anonymityReason: null });
    expect(story.quotes).toEqual([
      {
        paragraphIndex: 3,
        quote: "our armed forces with advanced and effective equipment and weapons that had a major role in resolving many battles,",
        // The subject who goes on "saying" spoke the words; "according to the ministry statement" only says
        // where they were reported. "Al-Ghanimi" is the "Lt. Gen. Othman Al-Ghanimi" of paragraph 2.
        speaker: named("Othman Al-Ghanimi", "Lt. Gen."),
      },
      // A statement is not a source: the editor decides whose it is.
      { paragraphIndex: 4, quote: "cooperation and coordination.", speaker: unnamed("The statement") },
      {
        paragraphIndex: 5,
        quote: "within the framework of strengthening cooperation between the two sides,",
        speaker: unnamed("The statement"),
      },
      {
        paragraphIndex: 8,
        quote:
          "Iraq still needs aerial reconnaissance planes. There are countries that have given signals to Iraq to support us or equip us with reconnaissance planes such as Russia and Iran,",
        // "the official" is the one described in paragraph 8; the copy gives no reason for not naming them.
        speaker: unnamed("A senior Iraqi military intelligence official"),
      },
      {
        paragraphIndex: 11,
        quote: "in a period of turbulence.",
        // A rank before the name is the title; the appositive after it is not used when a rank is present.
        speaker: named("Frank McKenzie", "Marine Gen."),
      },
    ]);
    expect(story.paraphrases).toEqual([]);
    for (const quote of story.quotes) expect(story.paragraphs[quote.paragraphIndex]).toContain(quote.quote);
  });
});

describe("parseWireStory in other shapes", () => {
  const body = [
    "Floodwaters forced hundreds of people from their homes along the Willamette River on Tuesday.",
    "\u201CThe water came up faster than anyone expected,\u201D said Dana Whitlock, the county's emergency manager.",
    "Shelters opened in three schools.",
  ];

  it("reads a CITY, State dateline with no caption", () => {
    const story = parseWireStory(["River towns flood", `PORTLAND, Ore. (AP) \u2014 ${body[0]}`, body[1], body[2]].join("\n\n"));
    expect(story).toEqual({
      headline: "River towns flood",
      dateline: "PORTLAND, Ore.",
      credit: "AP",
      paragraphs: body,
      datelineSeparator: " \u2014 ",
      photo: null,
      quotes: [
        {
          paragraphIndex: 1,
          quote: "The water came up faster than anyone expected,",
          speaker: {
            kind: "PERSON",
            name: "Dana Whitlock",
            title: "the county's emergency manager",
            affiliation: null,
            anonymityReason: null,
          },
        },
      ],
      paraphrases: [],
    });
  });

  it.each([
    ["WASHINGTON (Reuters) - ", "WASHINGTON", "Reuters", " - "],
    ["NEW YORK (AP) -- ", "NEW YORK", "AP", " -- "],
    ["KYIV, Ukraine (AP) \u2013 ", "KYIV, Ukraine", "AP", " \u2013 "],
    ["Rio de Janeiro (AFP) - ", "Rio de Janeiro", "AFP", " - "],
    ["ST. LOUIS (AP)\u2014", "ST. LOUIS", "AP", "\u2014"],
    ["WINSTON-SALEM, N.C. (AP) \u2014 ", "WINSTON-SALEM, N.C.", "AP", " \u2014 "],
    ["PORT OF SPAIN, Trinidad and Tobago (AP) \u2014 ", "PORT OF SPAIN, Trinidad and Tobago", "AP", " \u2014 "],
  ])("accepts the dateline %j", (prefix, dateline, credit, separator) => {
    const story = parseWireStory(`Headline\n\n${prefix}${body[0]}`);
    expect(story.dateline).toBe(dateline);
    expect(story.credit).toBe(credit);
    expect(story.datelineSeparator).toBe(separator);
    expect(story.paragraphs).toEqual([body[0]]);
  });

  it("parses a caption with an AP Photo credit", () => {
    const caption =
      "A man walks past a building destroyed in a Russian attack in Kyiv, Ukraine, Tuesday, March 5, 2024. (AP Photo/Efrem Lukatsky)";
    const story = parseWireStory(["Kyiv counts the damage", caption, `KYIV, Ukraine (AP) \u2014 ${body[2]}`].join("\n\n"));
    expect(story.photo).toEqual({
      caption,
      isFilePhoto: false,
      takenOn: "2024-03-05",
      location: "Kyiv, Ukraine",
      credit: "AP Photo/Efrem Lukatsky",
    });
    expect(story.paragraphs).toEqual([body[2]]);
  });

  it("accepts \\r\\n line endings and keeps a paragraph's inner line break as filed", () => {
    const lf = [
      "River towns flood",
      `PORTLAND, Ore. (AP) \u2014 ${body[0]}`,
      `${body[1]}\nIt was the second flood this year.`,
      body[2],
    ].join("\n\n");
    const crlf = lf.replace(/\n/g, "\r\n");
    const story = parseWireStory(crlf);
    expect(story.headline).toBe("River towns flood");
    expect(story.paragraphs).toEqual([body[0], `${body[1]}\r\nIt was the second flood this year.`, body[2]]);
    expect(story.quotes.map((q) => q.speaker?.name)).toEqual(["Dana Whitlock"]);
    expect(parseWireStory(lf).paragraphs[1]).toBe(`${body[1]}\nIt was the second flood this year.`);
  });

  it("treats several blank or whitespace-only lines as one paragraph break", () => {
    const story = parseWireStory(`\n\nHeadline  \n\n \t\n\n\nBAGHDAD (AP) \u2014 ${body[0]}\n   \n${body[2]}\n\n\n`);
    expect(story.headline).toBe("Headline  ");
    expect(story.paragraphs).toEqual([body[0], body[2]]);
  });

  it("takes only line 1 as the headline when the lede follows without a blank line", () => {
    const story = parseWireStory(`Headline\nBAGHDAD (AP) \u2014 ${body[0]}\n\n${body[2]}`);
    expect(story.headline).toBe("Headline");
    expect(story.paragraphs).toEqual([body[0], body[2]]);
  });

  it("drops a byte-order mark before the headline", () => {
    expect(parseWireStory(`\uFEFFHeadline\n\nBAGHDAD (AP) \u2014 ${body[0]}`).headline).toBe("Headline");
  });

  it("follows a quote across paragraphs", () => {
    const story = parseWireStory(
      [
        "Bridge lost to flood",
        "MILLER CREEK, Ore. (AP) \u2014 The county's only bridge washed away overnight.",
        "\u201CWe had maybe 20 minutes,\u201D said Sheriff Dana Whitlock. \u201CBy the time the sirens went off,",
        "\u201Cthe bridge was already gone. There was nothing left to close.\u201D",
      ].join("\n\n"),
    );
    const whitlock = { kind: "PERSON", name: "Dana Whitlock", title: "Sheriff", affiliation: null, anonymityReason: null };
    expect(story.quotes).toEqual([
      { paragraphIndex: 1, quote: "We had maybe 20 minutes,", speaker: whitlock },
      { paragraphIndex: 1, quote: "By the time the sirens went off,", speaker: whitlock },
      { paragraphIndex: 2, quote: "the bridge was already gone. There was nothing left to close.", speaker: whitlock },
    ]);
  });

  it("parses a story of exactly the size limit", () => {
    const head = `Headline\n\nBAGHDAD (AP) \u2014 ${body[0]}\n\n`;
    const filler = "word ".repeat(WIRE_TEXT_MAX_BYTES).slice(0, WIRE_TEXT_MAX_BYTES - Buffer.byteLength(head, "utf8"));
    const text = head + filler;
    expect(Buffer.byteLength(text, "utf8")).toBe(WIRE_TEXT_MAX_BYTES);
    expect(parseWireStory(text).paragraphs).toEqual([body[0], filler.trimEnd()]);
  });
});

describe("WireFormatError", () => {
  const lede = "BAGHDAD (AP) \u2014 Iraq and Russia discussed military coordination.";

  it.each(["", "   ", " \n\t\r\n  \n"])("EMPTY for %j", (text) => {
    expect(expectProblem(text, "EMPTY").message).toBe("The wire text is empty or contains only whitespace.");
  });

  it("BINARY for a NUL byte, naming its offset", () => {
    expect(expectProblem(`Headline\n\n${lede}\0\u0001`, "BINARY").message).toContain("NUL character at offset");
  });

  it("BINARY for a high share of control or replacement characters", () => {
    const controls = `Headline\n\n${lede}${"\u0007\u001B".repeat(20)}`;
    expect(expectProblem(controls, "BINARY").message).toMatch(/control or U\+FFFD replacement characters/);
    expectProblem(`Headline\n\n${lede}${"\uFFFD".repeat(20)}`, "BINARY");
  });

  it("tolerates a stray replacement character in real copy", () => {
    expect(parseWireStory(`Headline\n\n${lede} Caf\uFFFD owners agreed.`).paragraphs).toHaveLength(1);
  });

  it("TOO_LARGE above 1 MiB, counting UTF-8 bytes rather than characters", () => {
    expect(WIRE_TEXT_MAX_BYTES).toBe(1024 * 1024);
    expect(expectProblem("a".repeat(WIRE_TEXT_MAX_BYTES + 1), "TOO_LARGE").message).toContain("1048576 bytes (1 MiB)");
    const twoByteChars = "\u00E9".repeat(WIRE_TEXT_MAX_BYTES / 2 + 1);
    expect(twoByteChars.length).toBeLessThan(WIRE_TEXT_MAX_BYTES);
    expect(expectProblem(twoByteChars, "TOO_LARGE").message).toContain(`${WIRE_TEXT_MAX_BYTES + 2} bytes in UTF-8`);
  });

  it("NO_HEADLINE when the text opens with the dateline lede", () => {
    expect(expectProblem(`${lede}\n\nMore text.`, "NO_HEADLINE").message).toContain("first line is a dateline lede");
  });

  it("NO_HEADLINE when the first line opens with a photo caption", () => {
    const caption = "FILE - In this Feb. 13, 2018 file photo, a soldier stands guard at the Balad Air Base, Iraq.";
    expect(expectProblem(`${caption}\n\n${lede}`, "NO_HEADLINE").message).toContain("looks like a photo caption");
  });

  it(`NO_HEADLINE when the first line is longer than ${WIRE_HEADLINE_MAX_CHARS} characters`, () => {
    const longest = "x".repeat(WIRE_HEADLINE_MAX_CHARS);
    expect(parseWireStory(`${longest}\n\n${lede}`).headline).toBe(longest);
    const error = expectProblem(`${longest}y\n\n${lede}`, "NO_HEADLINE");
    expect(error.message).toContain("301 characters long");
    // Characters, not UTF-16 units: 300 emoji are still a 300-character headline.
    expect(parseWireStory(`${"\u{1F4F0}".repeat(WIRE_HEADLINE_MAX_CHARS)}\n\n${lede}`).paragraphs).toHaveLength(1);
  });

  it("NO_DATELINE, saying which paragraphs it looked at", () => {
    const error = expectProblem("Headline\n\nIraq and Russia met.\n\nThey talked.", "NO_DATELINE");
    expect(error.message).toContain('right after the headline (line 3: "Iraq and Russia met.")');
    expect(error.message).toContain('in case the first is a photo caption (line 5: "They talked.")');
  });

  it("NO_DATELINE when more than one paragraph comes before the dateline, pointing at it", () => {
    const error = expectProblem(`Headline\n\nCaption one.\n\nCaption two.\n\n${lede}`, "NO_DATELINE");
    expect(error.message).toContain("A dateline appears at line 7");
  });

  it("NO_BODY when nothing follows the headline", () => {
    expect(expectProblem("Headline\n\n\n", "NO_BODY").message).toContain('headline ("Headline") but nothing after it');
  });

  it("NO_BODY when the dateline has no lede text", () => {
    expect(expectProblem("Headline\n\nBAGHDAD (AP) \u2014 \n\n", "NO_BODY").message).toBe(
      'The dateline "BAGHDAD (AP)" is not followed by any story text.',
    );
  });

  describe("on junk up to the 1 MiB limit", () => {
    // Lines, blank lines and the punctuation the patterns look for, so every scanner gets exercised.
    const alphabet = "ABCDEF abcdef  ,.;:()-\u2014\u201C\u201D\"'\u2018\u2019\n\n";
    // Cut to a byte size; a multi-byte character cut in half decodes to U+FFFD, which is dropped.
    const sized = (bytes: number, prefix: string, text: string): string =>
      Buffer.from(prefix + text, "utf8")
        .subarray(0, bytes)
        .toString("utf8")
        .replace(/\uFFFD$/u, "");
    const eighth = WIRE_TEXT_MAX_BYTES / 8;

    /** Refuses both texts for `problem`, and says how much more CPU time the larger one took. */
    function refusalGrowth(small: string, large: string, problem: WireFormatProblem): number {
      expectProblem(small, problem);
      expectProblem(large, problem);
      return cpuGrowth(
        () => wireError(() => parseWireStory(small)),
        () => wireError(() => parseWireStory(large)),
      );
    }

    it("refuses text with no dateline in time linear in its size", () => {
      const text = (bytes: number) => sized(bytes, "Headline\n\n", junk(bytes, alphabet));
      expect(Buffer.byteLength(text(WIRE_TEXT_MAX_BYTES), "utf8")).toBeGreaterThan(900_000);
      expect(refusalGrowth(text(eighth), text(WIRE_TEXT_MAX_BYTES), "NO_DATELINE")).toBeLessThan(EIGHTFOLD_GROWTH_LIMIT);
    });

    it("refuses datelines that almost match in time linear in their size", () => {
      const text = (bytes: number) => sized(bytes, "Headline\n\n", `BAGHDAD, ${"Iraq ".repeat(bytes / 4)}(AP`);
      expect(refusalGrowth(text(eighth), text(WIRE_TEXT_MAX_BYTES), "NO_DATELINE")).toBeLessThan(EIGHTFOLD_GROWTH_LIMIT);
    });

    it("refuses one enormous line in time linear in its size", () => {
      const text = (bytes: number) => sized(bytes, "", junk(bytes, "ABC abc.,\u2014-()"));
      expect(refusalGrowth(text(eighth), text(WIRE_TEXT_MAX_BYTES), "NO_HEADLINE")).toBeLessThan(EIGHTFOLD_GROWTH_LIMIT);
    });
  });
});
