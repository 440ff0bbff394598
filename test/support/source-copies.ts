import { referenceAvailable, referenceDir, samplesAvailable, samplesDir } from "./reference.js";

/**
 * A globalSetup of the test tiers: says once, at the start of a run, when the copies of Microsoft's
 * pages and samples are not there, so that the tests that compare the kit with them, skipped,
 * are not skipped in silence. A clone on its own runs everything else.
 */
export default function sayWhatIsMissing(): void {
  const missing = [
    ...(referenceAvailable ? [] : [`the reference (${referenceDir}; set SDS_REFERENCE_DIR)`]),
    ...(samplesAvailable ? [] : [`the samples (${samplesDir}; set SDS_SAMPLES_DIR)`]),
  ];
  if (missing.length > 0)
    process.stderr.write(
      `This run has no copies of Microsoft's pages or samples: ${missing.join(" and ")} not found. The tests that compare the kit with them are skipped; everything else runs.\n`,
    );
}
