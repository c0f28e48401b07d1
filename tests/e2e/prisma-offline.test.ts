import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/config.js";
import { runInProject } from "../support/command.js";

const folder = mkdtempSync(path.join(os.tmpdir(), "newsroom-prisma-offline-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("Prisma's CLI", () => {
  it("reaches no outside host: prisma.config.ts turns its telemetry off", async () => {
    const networkLog = path.join(folder, "network.log");
    const result = await runInProject(path.join(projectRoot, "node_modules", ".bin", "prisma"), ["validate"], {
      NODE_OPTIONS: `--require ${path.join(projectRoot, "tests", "support", "record-network.cjs")}`,
      NETWORK_LOG: networkLog,
      // Only the project's own config may turn it off, not the environment the tests run in.
      CHECKPOINT_DISABLE: "",
      PGLITE_DATA_DIR: path.join(folder, "pglite"),
      DATABASE_URL: "",
    });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(networkLog, { encoding: "utf8", flag: "a+" })).toBe("");
  });
});
