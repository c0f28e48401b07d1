import { writeFile } from "node:fs/promises";
import path from "node:path";
import { projectRoot } from "../src/config.js";
import { printNewsroomSchema } from "../src/graphql/schema.js";

// The committed SDL, sorted so that diffs stay small, is the contract frontends generate their
// types from; a test fails when it drifts.
const file = path.join(projectRoot, "schema.graphql");
await writeFile(file, await printNewsroomSchema());
console.log(`wrote ${path.relative(process.cwd(), file)}`);
