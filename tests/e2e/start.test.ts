import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/config.js";
import { runInProject } from "../support/command.js";

const folder = mkdtempSync(path.join(os.tmpdir(), "newsroom-start-"));
const env = { PGLITE_DATA_DIR: path.join(folder, "pglite"), DATABASE_URL: "", NODE_ENV: "development", PORT: "0" };

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("the README's start command on the embedded database", () => {
  it("migrates, seeds and serves the AP story, then stops cleanly on SIGTERM", async () => {
    // npm start = db:migrate, db:seed, serve; `serve` is the process that keeps running.
    const setup = await runInProject("npm", ["run", "-s", "setup"], env);
    expect(setup.code, setup.stderr).toBe(0);
    const server = spawn("node", ["--import", "tsx", "src/main.ts"], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    server.stdout.on("data", (chunk) => (output += chunk));
    server.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
        server.stdout.on("data", () => {
          const ready = /"url":"(http:\/\/[^"]+)"/.exec(output);
          if (ready) {
            clearTimeout(timer);
            resolve(ready[1]!);
          }
        });
      });
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `{ story(slug: "iraq-considers-deepening-military-ties-with-russia") { headline status paragraphs { id } } }`,
        }),
      });
      const body = (await response.json()) as any;
      expect(body.data.story).toMatchObject({ headline: "Iraq considers deepening military ties with Russia", status: "PUBLISHED" });
      expect(body.data.story.paragraphs).toHaveLength(12);
      const ide = await fetch(url, { headers: { accept: "text/html" } });
      expect(await ide.text()).toMatch(/graphiql/i);
    } finally {
      server.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  });

  it("seeds again through `npx prisma db seed` without changing anything", async () => {
    const { code, stdout } = await runInProject("npx", ["prisma", "db", "seed"], env);
    expect(code).toBe(0);
    expect(stdout).toContain("already there, unchanged: iraq-considers-deepening-military-ties-with-russia");
  });
});
