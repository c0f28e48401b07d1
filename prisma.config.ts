import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";
import { databaseTargetFrom, prismaDatasourceUrl } from "./src/config.js";

const projectRoot = path.dirname(fileURLToPath(import.meta.url));

// Prisma's native schema engine cannot be downloaded on air-gapped machines. The CLI skips the
// download when this variable names an executable; ours speaks the engine's JSON-RPC protocol
// and runs Prisma's own schema engine compiled to WebAssembly (prisma/schema-engine).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(projectRoot, "prisma", "schema-engine");

// Every CLI command would otherwise look up checkpoint.prisma.io (Prisma's telemetry and update
// check) from a child process: a lookup of an outside host that air-gapped machines and CI must
// not make. This file is loaded before the check runs, so the CLI sees the setting.
process.env.CHECKPOINT_DISABLE = "1";

export default defineConfig({
  schema: path.join(projectRoot, "prisma", "schema.prisma"),
  migrations: {
    path: path.join(projectRoot, "prisma", "migrations"),
    seed: "tsx prisma/seed.ts",
  },
  // The migrate commands require a URL. It names the same database the app uses (DATABASE_URL,
  // else PGlite), and prisma/schema-engine opens it through the app's own driver adapters.
  datasource: { url: prismaDatasourceUrl(databaseTargetFrom(process.env)) },
});
