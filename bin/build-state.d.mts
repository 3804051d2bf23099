/** The compiled CLI entry, relative to the package root. */
export declare const DIST_ENTRY: string;
/** The folders the build compiles (tsconfig.build.json's include). */
export declare const SOURCE_DIRS: string[];
/** True when the package at root has a compiled build at least as new as its sources. */
export declare function isBuildCurrent(root: string): boolean;
