import { Writable } from "node:stream";

/** A log destination for startTestApiOn that keeps the server's JSON log lines for the test to read. */
export function collectLogLines() {
  const lines: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  // pino levels: 40 warn, 50 error.
  return {
    sink,
    lines,
    warnings: () => lines.filter((line) => line.level === 40),
    errorLines: () => lines.filter((line) => line.level >= 50),
  };
}
