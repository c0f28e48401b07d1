// Migrations without Prisma's native engine, on the database the app is configured for
// (DATABASE_URL, else PGlite in .data/pglite):
//   npm run db:migrate                      apply pending migrations
//   npm run db:migrate:create -- --name x   write prisma/migrations/<timestamp>_x from schema changes
//   npm run db:status                       applied, pending, failed and edited migrations
//   npm run db:reset -- --force             drop everything, then apply every migration
import { parseArgs } from "node:util";
import { loadConfig, type DatabaseTarget } from "../src/config.js";
import { applyPendingMigrations, createMigration, migrationStatus, resetDatabase } from "../src/db/migrate/migrations.js";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { name: { type: "string" }, force: { type: "boolean", default: false } },
});

function describe(target: DatabaseTarget): string {
  if (target.kind === "pglite") return `PGlite ${target.dataDir ?? "in memory"}`;
  const url = new URL(target.url);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

function list(names: string[]): string {
  return names.map((name) => `  ${name}`).join("\n");
}

async function run(command: string | undefined, target: DatabaseTarget): Promise<number> {
  switch (command) {
    case "deploy": {
      const applied = await applyPendingMigrations(target);
      console.log(applied.length ? `Applied to ${describe(target)}:\n${list(applied)}` : `${describe(target)} is up to date.`);
      return 0;
    }
    case "create": {
      if (!values.name) throw new Error("Name the migration: npm run db:migrate:create -- --name add_something");
      const folder = await createMigration(target, values.name);
      console.log(`Created ${folder}\nReview it, then apply it with npm run db:migrate.`);
      return 0;
    }
    case "status": {
      const status = await migrationStatus(target);
      console.log(`${describe(target)}: ${status.local.length} migration(s) in prisma/migrations`);
      const sections: [string, string[]][] = [
        ["Applied", status.applied],
        ["Pending", status.pending],
        ["Failed (resolve before anything else is applied)", status.failed],
        ["Edited after they were applied", status.edited],
        ["Applied to the database but missing from prisma/migrations", status.missingLocally],
      ];
      for (const [title, names] of sections) if (names.length) console.log(`${title}:\n${list(names)}`);
      console.log(status.upToDate ? "Up to date." : "Not up to date.");
      return status.upToDate ? 0 : 1;
    }
    case "reset": {
      if (!values.force) throw new Error(`This drops all data in ${describe(target)}. Run it with --force: npm run db:reset -- --force`);
      const applied = await resetDatabase(target);
      console.log(`Reset ${describe(target)} and applied:\n${list(applied)}`);
      return 0;
    }
    default:
      throw new Error(`Unknown command "${command ?? ""}": use deploy, create, status or reset`);
  }
}

try {
  process.exitCode = await run(positionals[0], loadConfig().database);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
