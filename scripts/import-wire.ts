import { open, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../src/errors.js";
import { openDatabaseOrExit } from "./cli.js";
import { WIRE_TEXT_MAX_BYTES } from "../src/wire/wire.parser.js";
import { importWire, parseWireText } from "../src/wire/wire.service.js";

const usage = "usage: npm run import:wire -- <file or folder> [more files or folders]";

/** Reads at most one byte over the limit, so megabytes of junk are refused without loading them. */
async function readWireFile(file: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(WIRE_TEXT_MAX_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > WIRE_TEXT_MAX_BYTES) throw new Error(`it is over ${WIRE_TEXT_MAX_BYTES} bytes; a wire story is far smaller`);
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(0, bytesRead));
    } catch {
      throw new Error("it is not UTF-8 text");
    }
  } finally {
    await handle.close();
  }
}

async function filesOf(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => {
    throw new Error(`${target}: no such file or folder`);
  });
  if (!info.isDirectory()) return [target];
  const entries = await readdir(target, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
    .map((entry) => path.join(target, entry.name))
    .sort();
}

const targets = process.argv.slice(2).filter((arg) => arg !== "--");
if (targets.length === 0) {
  console.error(usage);
  process.exit(2);
}

let files: string[];
try {
  files = (await Promise.all(targets.map(filesOf))).flat();
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exit(2);
}
if (files.length === 0) {
  console.error(`error: no files to import in ${targets.join(", ")}`);
  process.exit(2);
}

const database = await openDatabaseOrExit();
let failed = 0;
try {
  for (const [i, file] of files.entries()) {
    const progress = `[${i + 1}/${files.length}]`;
    try {
      const text = await readWireFile(file);
      const wire = parseWireText(text, "file");
      const result = await importWire(database.prisma, wire, { text, authorId: null, again: false, field: "file" });
      const proposals = result.proposedAttributions > 0 ? `, ${result.proposedAttributions} quote(s) to confirm` : "";
      console.log(`${progress} imported ${file}: ${result.story.id} ${result.story.slug} (DRAFT${proposals})`);
    } catch (error) {
      failed += 1;
      const reason = error instanceof AppError || error instanceof Error ? error.message : String(error);
      console.error(`${progress} FAILED ${file}: ${reason}; nothing written`);
    }
  }
} finally {
  await database.close();
}
console.log(`${files.length - failed} imported, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
