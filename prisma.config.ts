import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";
import { databaseTargetFrom, prismaDatasourceUrl } from "./src/config.js";

const projectRoot = path.dirname(fileURLToPath(import.meta.url));

// Prisma's native schema engine cannot be downloaded on air-gapped machines. The CLI skips the
// download when this variable names an executable; ours speaks the engine's JSON-RPC protocol
// and runs Prisma's own schema engine compiled to WebAssembly (prisma/schema-engine).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(projectRoot, "prisma", "schema-engine");

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
