import { readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot, type DatabaseTarget } from "../../src/config.js";
import { connectDatabase } from "../../src/db/client.js";
import { issueTokenForName } from "../../src/users/user.service.js";
import { parseWireStory } from "../../src/wire/wire.parser.js";
import { writeWireStory } from "../../src/wire/wire.service.js";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database.js";
import type { BenchOptions } from "./options.js";

const AP_STORY_FILE = path.join(projectRoot, "seeds", "ap-iraq-russia-military-ties.txt");

/** A fresh database with every migration applied, made the way the tests make theirs. */
export async function createBenchDatabase(options: BenchOptions): Promise<TestDatabase> {
  // createTestDatabase picks PostgreSQL when TEST_DATABASE_URL is set and PGlite in a temp folder when not.
  if (options.backend === "postgres") process.env.TEST_DATABASE_URL = options.adminUrl;
  else delete process.env.TEST_DATABASE_URL;
  return createTestDatabase();
}

export interface SeededStory {
  id: string;
  slug: string;
  version: number;
}

export interface Seeded {
  /** Newest publication first, as the front page lists them. */
  stories: SeededStory[];
  editorToken: string;
  seconds: number;
}

/**
 * Imports the AP story `count` times through the wire importer, in one transaction, and publishes
 * every copy with confirmed attributions, so the public sees all of it.
 */
export async function seedStories(target: DatabaseTarget, count: number): Promise<Seeded> {
  const started = performance.now();
  const text = readFileSync(AP_STORY_FILE, "utf8");
  const wire = parseWireStory(text);
  // Closed before the server starts: PGlite admits one process per data folder.
  const handle = await connectDatabase(target);
  try {
    await handle.prisma.$transaction(
      async (tx) => {
        for (let i = 0; i < count; i += 1)
          await writeWireStory(tx, { ...wire, headline: `${wire.headline} (${i})` }, { text, authorId: null, again: true, field: "text" });
        await tx.attribution.updateMany({ data: { confirmed: true } });
        // Wire copy has no summary, and a real front page has one per story and distinct
        // publication times; equal times would make every page sort all ties by id.
        await tx.$executeRaw`
          UPDATE stories s SET status = 'PUBLISHED', summary = ${wire.paragraphs[0] ?? null},
            published_at = now() - o.n * interval '1 minute'
          FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM stories) o
          WHERE o.id = s.id`;
      },
      { maxWait: 60_000, timeout: 600_000 },
    );
    const editor = await issueTokenForName(handle.prisma, { name: "Bench Editor", role: "EDITOR", label: "bench" });
    const stories = await handle.prisma.story.findMany({
      select: { id: true, slug: true, version: true },
      orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
    });
    return { stories, editorToken: editor.token, seconds: (performance.now() - started) / 1000 };
  } finally {
    await handle.close();
  }
}
