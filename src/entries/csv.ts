// `sds-contract-kit/csv`: the SDS v1 CSV engine behind a CSV profile's uploads: the six files'
// rules, verification as `start` answers it, the sync's errors, and roster fixtures.

export { type GenerateRosterOptions, generateRoster } from "../csv/generate-roster.js";
export { type RosterBreak, type RosterBreakName, rosterBreaks } from "../csv/roster-breaks.js";
export { rosterFileNames, rosterFiles } from "../csv/roster-files.js";
export { quarantineErrorLimit, type RoleDomains, type SyncErrorRecord, syncRoster } from "../csv/sync-roster.js";
export {
  type Roster,
  type VerificationMessage,
  verificationRules,
  verificationStatus,
  verifyRoster,
} from "../csv/verify-roster.js";
