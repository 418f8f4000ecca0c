/**
 * The county office's list of the network, as kept in Excel and saved as CSV: one row per node with its
 * parent's code. Parsing (parse.ts), checking a whole file against what is stored (every bad row
 * reported, in plain Chinese, with the row number Excel shows) and planning the writes (plan.ts), and
 * exporting back to the same format (export.ts). Pure functions: no SDK, no file system. Only the
 * scripts use it (npm run org), so it lives beside them, not among the functions.
 *
 * Rules of an import:
 * - a node is created when its code is new, updated when a field differs, left alone otherwise, so
 *   importing the same file twice changes nothing; nodes not in the file are never deleted;
 * - parents may come after their children in the file; ancestors are computed, never read from it;
 * - a stored node keeps its position among its siblings; a new (or moved) node goes after them, in the
 *   order of the file;
 * - if any row is wrong, nothing is planned at all.
 */
export * from './parse';
export * from './plan';
export * from './export';
