import { open, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { AppError } from "../src/errors.js";
import { openDatabaseOrExit } from "./cli.js";
import { WIRE_TEXT_MAX_BYTES } from "../src/wire/wire.parser.js";
import { importWire, parseWireText, type WireImportResult } from "../src/wire/wire.service.js";

const usage = `usage: npm run import:wire -- [--again] [--recursive] <file or folder> [more files or folders]
  --again      import a text even if it already made a story (the copy is not recorded as its import)
  --recursive  also import the folders inside a folder, instead of skipping them`;

/** Reads at most one byte over the limit, so megabytes of junk are refused without loading them. */
async function readWireFile(file: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(WIRE_TEXT_MAX_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > WIRE_TEXT_MAX_BYTES) throw new Error(`It is over ${WIRE_TEXT_MAX_BYTES} bytes; a wire story is far smaller`);
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(0, bytesRead));
    } catch {
      throw new Error("It is not UTF-8 text");
    }
  } finally {
    await handle.close();
  }
}

interface Targets {
  files: string[];
  /** Folders inside a folder, left out without --recursive. */
  skipped: string[];
}

/** The files a target names, in name order; hidden files and folders are left out. */
async function filesOf(target: string, recursive: boolean): Promise<Targets> {
  const info = await stat(target).catch(() => {
    throw new Error(`${target}: no such file or folder`);
  });
  if (!info.isDirectory()) return { files: [target], skipped: [] };
  const entries = (await readdir(target, { withFileTypes: true }))
    .filter((entry) => !entry.name.startsWith("."))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: Targets = { files: [], skipped: [] };
  for (const entry of entries) {
    const entryPath = path.join(target, entry.name);
    if (entry.isFile()) found.files.push(entryPath);
    else if (entry.isDirectory() && !recursive) found.skipped.push(entryPath);
    else if (entry.isDirectory()) {
      const inner = await filesOf(entryPath, true);
      found.files.push(...inner.files);
    }
  }
  return found;
}

const counted = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "12 paragraphs, 5 quotes found, 2 speakers proposed for 3 attributions to confirm, 2 quotes left unattributed" */
function summaryOf(result: WireImportResult): string {
  return [
    counted(result.paragraphCount, "paragraph"),
    `${counted(result.quoteCount, "quote")} found`,
    `${counted(result.proposedSpeakers, "speaker")} proposed for ${counted(result.proposedAttributions, "attribution")} to confirm`,
    `${counted(result.unattributedQuotes, "quote")} left unattributed`,
  ].join(", ");
}

/** A reason as one sentence, whether or not it came with its own full stop. */
function asSentence(reason: string): string {
  const trimmed = reason.trim();
  return /[.!?]$/u.test(trimmed) ? trimmed : `${trimmed}.`;
}

let options: { again: boolean; recursive: boolean };
let targets: string[];
try {
  const parsed = parseArgs({
    allowPositionals: true,
    options: { again: { type: "boolean", default: false }, recursive: { type: "boolean", default: false } },
  });
  options = { again: parsed.values.again, recursive: parsed.values.recursive };
  targets = parsed.positionals;
} catch (error) {
  console.error(`error: ${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (targets.length === 0) {
  console.error(usage);
  process.exit(2);
}

let files: string[];
let skipped: string[];
try {
  const found = await Promise.all(targets.map((target) => filesOf(target, options.recursive)));
  files = found.flatMap((f) => f.files);
  skipped = found.flatMap((f) => f.skipped);
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exit(2);
}
for (const folder of skipped) console.log(`skipped folder ${folder}: run with --recursive to import the folders inside a folder`);
if (files.length === 0) {
  console.error(`error: no files to import in ${targets.join(", ")}`);
  process.exit(2);
}

const database = await openDatabaseOrExit();
let refused = 0;
try {
  for (const [i, file] of files.entries()) {
    const progress = `[${i + 1}/${files.length}]`;
    try {
      const text = await readWireFile(file);
      const wire = parseWireText(text, "file");
      const result = await importWire(database.prisma, wire, { text, authorId: null, again: options.again, field: "file" });
      console.log(`${progress} imported ${file} as ${result.story.id} ${result.story.slug} (DRAFT)`);
      console.log(`${" ".repeat(progress.length)} ${summaryOf(result)}`);
    } catch (error) {
      refused += 1;
      const reason = error instanceof Error ? error.message : String(error);
      const hint = error instanceof AppError && error.details?.reason === "DUPLICATE_WIRE_STORY" ? " Use --again to import it anyway." : "";
      console.error(`${progress} refused ${file}: ${asSentence(reason)} Nothing was written.${hint}`);
    }
  }
} finally {
  await database.close();
}
const folders = skipped.length > 0 ? `; ${counted(skipped.length, "folder")} skipped` : "";
console.log(`${counted(files.length, "file")}: ${files.length - refused} imported, ${refused} refused${folders}`);
process.exitCode = refused > 0 ? 1 : 0;
