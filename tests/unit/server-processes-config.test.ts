import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";

const primary = "postgresql://newsroom@db.example/newsroom";

describe("SERVER_PROCESSES", () => {
  it("is one process unless set", () => {
    expect(loadConfig({}).serverProcesses).toBe(1);
    expect(loadConfig({ DATABASE_URL: primary }).serverProcesses).toBe(1);
  });

  it("runs several processes on PostgreSQL", () => {
    expect(loadConfig({ DATABASE_URL: primary, SERVER_PROCESSES: "4" }).serverProcesses).toBe(4);
  });

  it("refuses several on the embedded database, which one process owns, and says what to set", () => {
    expect(loadConfig({ SERVER_PROCESSES: "1" }).serverProcesses).toBe(1);
    expect(() => loadConfig({ SERVER_PROCESSES: "2" })).toThrow(/SERVER_PROCESSES above 1 needs DATABASE_URL/);
  });

  it("refuses a count that is not a whole number from 1", () => {
    for (const value of ["0", "-1", "1.5", "two"]) {
      expect(() => loadConfig({ DATABASE_URL: primary, SERVER_PROCESSES: value })).toThrow(
        /SERVER_PROCESSES must be a whole number from 1/,
      );
    }
  });
});
