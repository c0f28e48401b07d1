import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Measurement } from "./measurement.js";
import type { BenchOptions } from "./options.js";

export interface BenchReport {
  startedAt: string;
  options: Omit<BenchOptions, "adminUrl">;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  seedSeconds: number;
  server: { rssAfterStartMiB: number; peakRssMiB: number };
  scenarios: Measurement[];
}

export function describeMachine(): BenchReport["machine"] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "–");

export function markdownTable(report: BenchReport): string {
  const { options, machine, server } = report;
  const lines = [
    `### ${options.backend}: ${options.stories} stories, ${options.connections} connections, ${options.duration} s per scenario (after ${options.warmup} s warmup)`,
    "",
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, node ${machine.node}; seeding took ${fixed(report.seedSeconds, 1)} s; ` +
      `server RSS ${fixed(server.rssAfterStartMiB, 0)} MiB after start, peak ${fixed(server.peakRssMiB, 0)} MiB.`,
    "",
    "| scenario | req/s | p50 ms | p97.5 ms | p99 ms | requests | errors | server CPU % | server RSS before → after (MiB) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const m of report.scenarios) {
    // Raw SQL latencies are exact and often under a millisecond; autocannon's are whole milliseconds.
    const digits = m.server ? 0 : 2;
    const cpu = m.server ? fixed(m.server.cpuPercent, 0) : "–";
    const rss = m.server ? `${fixed(m.server.rssBeforeMiB, 0)} → ${fixed(m.server.rssAfterMiB, 0)}` : "–";
    lines.push(
      `| ${m.scenario} | ${fixed(m.requestsPerSecond, 0)} | ${fixed(m.latencyMs.p50, digits)} | ${fixed(m.latencyMs.p97_5, digits)} | ${fixed(m.latencyMs.p99, digits)} | ${m.requests} | ${m.errors.total} | ${cpu} | ${rss} |`,
    );
  }
  return lines.join("\n");
}

/** bench/results/<timestamp>-<backend>.json; the folder is git-ignored. */
export async function writeReport(report: BenchReport): Promise<string> {
  const folder = path.join(import.meta.dirname, "..", "results");
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, `${report.startedAt.replace(/[:.]/g, "-")}-${report.options.backend}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
