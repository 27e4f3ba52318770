import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The one source of the chart version and appVersion (chart-src/release.json). Chart.yaml of the umbrella
 * and of every subchart, the image tags' default and `sb release` all read or write it here.
 */
export interface ReleaseInfo {
  version: string;
  appVersion: string;
  /** OCI repository `sb release` pushes the packaged chart to. */
  chartRegistry: string;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export function releaseFile(root: string): string {
  return join(root, 'chart-src', 'release.json');
}

export function readRelease(root: string): ReleaseInfo {
  const info = JSON.parse(readFileSync(releaseFile(root), 'utf8')) as ReleaseInfo;
  if (!SEMVER.test(info.version))
    throw new Error(`chart-src/release.json: version ${info.version} is not SemVer 2`);
  if (!info.appVersion) throw new Error('chart-src/release.json: appVersion is empty');
  return info;
}

export function writeRelease(root: string, info: ReleaseInfo): void {
  if (!SEMVER.test(info.version)) throw new Error(`version ${info.version} is not SemVer 2 (e.g. 1.4.0)`);
  writeFileSync(releaseFile(root), `${JSON.stringify(info, null, 2)}\n`);
}
