import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runInProject } from "../support/command.js";
import { startProcess, type ManagedProcess } from "../support/processes.js";

const folder = mkdtempSync(path.join(os.tmpdir(), "newsroom-start-"));
const env = { PGLITE_DATA_DIR: path.join(folder, "pglite"), DATABASE_URL: "", NODE_ENV: "development", PORT: "0" };
let server: ManagedProcess | undefined;

// The server, and everything npm started for it, stops whatever happened in the test.
afterAll(async () => {
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

// Each wait below is bounded on its own, and all of them fit inside the test's limit, so a slow
// machine fails with the step that hung rather than with a bare timeout.
const START_WAIT_MS = 300_000;

describe("the README's start command on the embedded database", { timeout: 600_000 }, () => {
  it("migrates, seeds and serves the AP story, stops cleanly on SIGTERM, and seeds again without changes", async () => {
    server = startProcess("npm", ["start"], { env });
    const [, url] = await server.waitForOutput(/"url":"(http:\/\/[^"]+)"/, START_WAIT_MS);
    const response = await fetch(url!, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `{ story(slug: "iraq-considers-deepening-military-ties-with-russia") { headline status paragraphs { id } } }`,
      }),
    });
    const body = (await response.json()) as any;
    expect(body.data.story).toMatchObject({ headline: "Iraq considers deepening military ties with Russia", status: "PUBLISHED" });
    expect(body.data.story.paragraphs).toHaveLength(12);
    const ide = await fetch(url!, { headers: { accept: "text/html" } });
    expect(await ide.text()).toMatch(/graphiql/i);

    await server.stop();
    expect(server.output()).toContain('"msg":"stopped"');

    // The embedded database is free again once the server has stopped.
    const { code, stdout, stderr } = await runInProject("npx", ["prisma", "db", "seed"], env);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("already there, unchanged: iraq-considers-deepening-military-ties-with-russia");
  });
});
