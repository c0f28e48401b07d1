import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { HttpRequest } from "./contenders.js";
import { CLOCK_TICKS_PER_SECOND } from "./proc.js";

const run = promisify(execFile);

export interface LoadResult {
  /** Responses received in the window, whatever they were. */
  requests: number;
  /**
   * Requests written, answered or not: when the window closes each connection may have one in
   * flight, which the server still serves. Costs per request divide by this, counted after a pause.
   */
  sent: number;
  seconds: number;
  requestsPerSecond: number;
  /** From the moment a request is written to its last byte, to the microsecond: wrk's histogram as measured. */
  latencyMs: { p50: number; p99: number };
  errors: {
    /**
     * Connection errors, and answers slower than the timeout (30 s). A request still unanswered
     * when the window closes is not counted here: it only lowers the number of answers.
     */
    connection: number;
    /** Answers that were not 200 or not of a length verified before the run. */
    invalid: number;
    firstInvalid: string | null;
  };
  /** Answers that said they came from a cache (an X-Cache header saying HIT, or an Age header). */
  cacheHits: number;
  /** The Cache-Control values seen, to show what the server told caches. */
  cacheControl: string[];
  /** CPU seconds the load generator used, user and system: near one a second, it is the limit. */
  generatorCpuSeconds: number;
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** A request no reply takes this long to is counted as a timeout, not as latency. */
const TIMEOUT_SECONDS = 30;
/** Prefix of the line the script's done() prints, among wrk's own report. */
const RESULT_MARK = "LOAD_RESULT ";
/** Separates the prepared requests in the file the script reads: a NUL is in no HTTP request. */
const SEPARATOR = "\0";

/**
 * wrk's Lua side. Each thread reads the prepared requests (whole HTTP/1.1 messages) once and sends
 * them in rotation; it checks each answer's status and length against the lengths verified before
 * the run, and counts cache hits. done() gathers the threads' counts and prints them as JSON.
 */
const SCRIPT = String.raw`
local requests, lengths = {}, {}
local next_index = 0
-- Globals, not locals: done() reads them from each thread's state with thread:get(). connections
-- is the run's in all, as wrk counts it.
sent, invalid, hits, controls, firstInvalid, connections = 0, 0, 0, "", "", 0
local threads = {}

local function read_all(name)
  local file = assert(io.open(name, "rb"))
  local text = file:read("*a")
  file:close()
  return text
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local text = read_all(args[1])
  for message in string.gmatch(text, "([^%z]+)") do table.insert(requests, message) end
  for length in string.gmatch(read_all(args[2]), "%d+") do lengths[tonumber(length)] = true end
  connections = tonumber(args[3])
end

function request()
  next_index = next_index % #requests + 1
  sent = sent + 1
  return requests[next_index]
end

-- Servers write header names as their code spelled them: both usual spellings are looked up.
local function header(headers, lower, title)
  return headers[lower] or headers[title]
end

local seen_controls = {}

function response(status, headers, body)
  if status ~= 200 or not lengths[#body] then
    invalid = invalid + 1
    if firstInvalid == "" then firstInvalid = "status " .. status .. ", " .. string.sub(body or "", 1, 300) end
  end
  local cache = header(headers, "x-cache", "X-Cache")
  if (cache and string.find(string.lower(cache), "hit", 1, true)) or header(headers, "age", "Age") then hits = hits + 1 end
  local control = header(headers, "cache-control", "Cache-Control")
  if control and not seen_controls[control] then
    seen_controls[control] = true
    controls = controls .. control .. "\n"
  end
end

local function json_string(text)
  return '"' .. string.gsub(text, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

-- This process's CPU so far, user and system, in clock ticks (fields 14 and 15 of the line).
local function own_cpu_ticks()
  local file = assert(io.open("/proc/self/stat", "r"))
  local after_name = string.match(file:read("*a"), "%) (.*)$")
  file:close()
  local fields = {}
  for field in string.gmatch(after_name, "%S+") do table.insert(fields, field) end
  return tonumber(fields[12]) + tonumber(fields[13])
end

-- The latencies as measured. Before done(), wrk adds made-up samples to its histogram
-- (stats_correct in wrk.c, 4.x: for a sample of n >= 2e µs, one at n - e, n - 2e, ... while above
-- e, with e the run time ÷ (answers ÷ connections)), a correction meant for load sent at a fixed
-- rate, which a closed loop does not send. They are taken off again, highest values first, as they
-- were added: what is added to a value comes only from values above it.
local function measured_latencies(latency, summary, connections)
  local values, counts = {}, {}
  for i = 1, #latency do
    local value, count = latency(i)
    values[i] = value
    counts[value] = count
  end
  local per_connection = math.floor(summary.requests / connections)
  if per_connection > 0 then
    local e = math.floor(summary.duration / per_connection)
    local added = {}
    for i = #values, 1, -1 do
      local n = values[i]
      local own = counts[n] - (added[n] or 0)
      counts[n] = own
      if n >= 2 * e and own > 0 then
        local m = n - e
        while m > e do
          added[m] = (added[m] or 0) + own
          m = m - e
        end
      end
    end
  end
  return values, counts
end

-- Nearest rank, as percentile() in load.ts.
local function percentile(values, counts, total, p)
  local rank = math.max(1, math.ceil(p / 100 * total))
  local seen = 0
  for _, value in ipairs(values) do
    seen = seen + counts[value]
    if seen >= rank then return value end
  end
  return 0
end

function done(summary, latency, _)
  -- First, so that the work below is not counted as load.
  local cpu_ticks = own_cpu_ticks()
  local totals = { sent = 0, invalid = 0, hits = 0 }
  local controls_seen, first = "", ""
  for _, thread in ipairs(threads) do
    totals.sent = totals.sent + thread:get("sent")
    totals.invalid = totals.invalid + thread:get("invalid")
    totals.hits = totals.hits + thread:get("hits")
    controls_seen = controls_seen .. thread:get("controls")
    if first == "" then first = thread:get("firstInvalid") end
  end
  local values, counts = measured_latencies(latency, summary, threads[1]:get("connections"))
  local recorded = 0
  for _, value in ipairs(values) do recorded = recorded + counts[value] end
  local errors = summary.errors
  io.write("${RESULT_MARK}", "{",
    '"requests":', summary.requests, ",",
    '"microseconds":', summary.duration, ",",
    -- wrk asks thread 1 for one request before the run, to check it, and never sends it.
    '"sent":', totals.sent - 1, ",",
    '"invalid":', totals.invalid, ",",
    '"hits":', totals.hits, ",",
    '"connectionErrors":', errors.connect + errors.read + errors.write + errors.timeout, ",",
    -- An answer slower than --timeout is counted as a timeout, not as a latency.
    '"latencies":', recorded, ",",
    '"expectedLatencies":', summary.requests - errors.timeout, ",",
    '"p50":', percentile(values, counts, recorded, 50), ",",
    '"p99":', percentile(values, counts, recorded, 99), ",",
    '"cpuTicks":', cpu_ticks, ",",
    '"controls":', json_string(controls_seen), ",",
    '"firstInvalid":', json_string(first),
    "}\n")
end
`;

interface ScriptResult {
  requests: number;
  microseconds: number;
  sent: number;
  invalid: number;
  hits: number;
  connectionErrors: number;
  /** Latencies in the histogram once wrk's made-up samples are taken off, and how many answers had one. */
  latencies: number;
  expectedLatencies: number;
  p50: number;
  p99: number;
  cpuTicks: number;
  controls: string;
  firstInvalid: string;
}

/** An HTTP/1.1 message as wrk sends it, to the host and port of the base URL. */
function httpMessage(base: URL, { method, path, headers, body }: HttpRequest): string {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${base.host}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join("\r\n")}\r\n\r\n${body ?? ""}`;
}

/**
 * Closed-loop load for `seconds` from wrk (Debian's package), a process of its own written in C:
 * each of `connections` keep-alive connections sends the next request of the rotation as soon as
 * its previous answer is in. The load generator shares the machine's cores with the contenders,
 * so one that costs little per request leaves them the most; wrk costs a fraction of what a
 * Node.js generator does. An answer counts as valid when it is a 200 of a length that one of this
 * contender's answers had in the content check, which compared its content with everyone else's.
 */
export async function runLoad(
  baseUrl: string,
  requests: readonly HttpRequest[],
  expectedLengths: readonly number[],
  options: { connections: number; seconds: number },
): Promise<LoadResult> {
  const base = new URL(baseUrl);
  const folder = await mkdtemp(path.join(os.tmpdir(), "newsroom-load-"));
  try {
    const files = { script: path.join(folder, "load.lua"), requests: path.join(folder, "requests"), lengths: path.join(folder, "lengths") };
    await writeFile(files.script, SCRIPT);
    await writeFile(files.requests, requests.map((request) => httpMessage(base, request)).join(SEPARATOR));
    await writeFile(files.lengths, [...new Set(expectedLengths)].join("\n"));
    const args = ["--threads", "1", "--connections", String(options.connections), "--duration", `${options.seconds}s`];
    args.push("--timeout", `${TIMEOUT_SECONDS}s`, "--script", files.script, baseUrl);
    args.push("--", files.requests, files.lengths, String(options.connections));
    const { stdout, stderr } = await run("wrk", args, { maxBuffer: 16 * 1024 * 1024 });
    const line = stdout.split("\n").find((each) => each.startsWith(RESULT_MARK));
    // wrk runs without a script it cannot load, saying so on stderr.
    if (!line) throw new Error(`wrk printed no result:\n${stderr}${stdout}`);
    const result = JSON.parse(line.slice(RESULT_MARK.length)) as ScriptResult;
    if (result.latencies !== result.expectedLatencies) {
      throw new Error(`wrk's latencies, made-up samples taken off, number ${result.latencies}, not ${result.expectedLatencies}`);
    }
    const seconds = result.microseconds / 1e6;
    return {
      requests: result.requests,
      sent: result.sent,
      seconds,
      requestsPerSecond: result.requests / seconds,
      latencyMs: { p50: result.p50 / 1000, p99: result.p99 / 1000 },
      errors: { connection: result.connectionErrors, invalid: result.invalid, firstInvalid: result.firstInvalid || null },
      cacheHits: result.hits,
      cacheControl: [...new Set(result.controls.split("\n").filter(Boolean))].slice(0, 5),
      generatorCpuSeconds: result.cpuTicks / CLOCK_TICKS_PER_SECOND,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * wrk from Debian's packages: installed here when missing and the bench runs as root (as .ci/run
 * installs Chromium), else the run stops and says how to install it.
 */
export async function ensureLoadGenerator(log: (message: string) => void): Promise<void> {
  const installed = await run("sh", ["-c", "command -v wrk"]).then(
    () => true,
    () => false,
  );
  if (installed) return;
  if (process.getuid?.() !== 0) throw new Error("the bench's load generator is wrk: install Debian's package (apt-get install wrk)");
  log("installing wrk, the load generator, from Debian's packages");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await run("apt-get", ["update", "-qq"], { env });
  await run("apt-get", ["install", "-y", "-qq", "wrk"], { env });
}
