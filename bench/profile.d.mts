// Types for profile.mjs.
/** A bench app's entry file and the event set it answers by default. */
export declare function entryFor(app: string, outDir?: string): { entry: string; set: string }
/** A command line's app (`name` or `name=path`): its name, entry file and whether names are kept. */
export declare function appSpec(spec: string, outDir?: string): { name: string; entry: string; keepNames: boolean }
