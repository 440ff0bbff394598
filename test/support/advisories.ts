import semver from "semver";
import type { InstalledPackage } from "./packed-kit.js";

/**
 * Known advisories against packages that the kit's tree held (issue 22's audit of the installed
 * tree; the registry this project reaches has no audit endpoint, so the list is kept here, each
 * range from the advisory's own "fixed in"). docs/reliability.md's advisory table says the same
 * in prose, with what stays and why.
 */
export const advisories: { name: string; vulnerable: string; ids: string; fixedIn: string }[] = [
  {
    name: "axios",
    vulnerable: "<0.31.0 || >=1.0.0 <1.15.0",
    ids: "CVE-2023-45857, CVE-2025-27152, CVE-2025-58754, CVE-2025-62718, CVE-2026-40175",
    fixedIn: "1.15.0 (0.31.0 on the 0.x line)",
  },
  { name: "tough-cookie", vulnerable: "<4.1.3", ids: "CVE-2023-26136", fixedIn: "4.1.3" },
  { name: "xml2js", vulnerable: "<0.5.0", ids: "CVE-2023-0842", fixedIn: "0.5.0" },
  { name: "@azure/identity", vulnerable: "<4.2.1", ids: "CVE-2024-35255", fixedIn: "4.2.1" },
  { name: "lodash", vulnerable: "<4.18.0", ids: "CVE-2026-4800, CVE-2026-2950", fixedIn: "4.18.0" },
  {
    name: "handlebars",
    vulnerable: "<4.7.9",
    ids: "CVE-2026-33937, CVE-2026-33938, CVE-2026-33939, CVE-2026-33941",
    fixedIn: "4.7.9",
  },
  {
    name: "node-forge",
    vulnerable: "<1.4.0",
    ids: "CVE-2025-12816, CVE-2025-66030, CVE-2025-66031, CVE-2026-33891",
    fixedIn: "1.4.0",
  },
];

/** Each installed package at a version an advisory above names: `lodash@4.17.21 (CVE-…) at node_modules/…`. */
export function knownVulnerable(packages: readonly InstalledPackage[]): string[] {
  return packages.flatMap(({ name, version, path }) =>
    advisories
      .filter((advisory) => advisory.name === name && semver.satisfies(version, advisory.vulnerable))
      .map((advisory) => `${name}@${version} (${advisory.ids}; fixed in ${advisory.fixedIn}) at ${path}`),
  );
}
