import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

/**
 * PostGraphile is a peer to compare with, not a dependency of the project: each major version is
 * installed on first use into a folder of its own under bench/.peers/ (git-ignored), never by the
 * project's `npm ci`. The versions are pinned so that every run compares with the same code.
 */
export const PEERS_FOLDER = path.join(import.meta.dirname, "..", ".peers");

export const PEER_PACKAGES = {
  postgraphile4: { postgraphile: "4.14.1" },
  postgraphile5: { postgraphile: "5.1.5" },
} as const;

export type PeerName = keyof typeof PEER_PACKAGES;

export function peerFolder(peer: PeerName): string {
  return path.join(PEERS_FOLDER, peer);
}

function installedVersion(folder: string, name: string): string | null {
  const manifest = path.join(folder, "node_modules", name, "package.json");
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version : null;
}

/** Installs the peer's pinned packages unless exactly those versions are there already. */
export async function ensurePeerInstalled(peer: PeerName, log: (message: string) => void): Promise<void> {
  const folder = peerFolder(peer);
  const dependencies: Record<string, string> = PEER_PACKAGES[peer];
  if (Object.entries(dependencies).every(([name, version]) => installedVersion(folder, name) === version)) return;
  log(
    `installing ${Object.entries(dependencies)
      .map(([name, version]) => `${name}@${version}`)
      .join(", ")} into ${folder}`,
  );
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, "package.json"), `${JSON.stringify({ private: true, dependencies }, null, 2)}\n`);
  // No install scripts: none of these packages needs one, and nothing from the registry should run here.
  await promisify(execFile)("npm", ["install", "--prefix", folder, "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], {
    maxBuffer: 16 * 1024 * 1024,
  });
}
