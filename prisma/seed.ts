import path from "node:path";
import { loadConfig, projectRoot } from "../src/config.js";
import { connectDatabase } from "../src/db/client.js";
import { seedAnnotatedStory } from "../src/seed/seed.js";

const SEEDS = ["ap-iraq-russia-military-ties.annotations.json"];

const config = loadConfig();
const database = await connectDatabase(config.database);
try {
  for (const file of SEEDS) {
    const result = await seedAnnotatedStory(database.prisma, path.join(projectRoot, "seeds", file));
    console.log(`${result.created ? "seeded" : "already there, unchanged"}: ${result.slug} (${result.storyId})`);
  }
} finally {
  await database.close();
}
