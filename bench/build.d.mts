// Types for build.mjs.
export interface BundleInfo {
  outfile: string
  bytes: number
  gzipBytes: number
  /** The createRequire banner was needed (a CommonJS dependency requires Node built-ins). */
  banner: boolean
  /** Minified bytes by package or project folder, largest first. */
  composition: { part: string; bytes: number }[]
}

export declare function bundle(entry: string, outfile: string, options?: { keepNames?: boolean }): Promise<BundleInfo>
export declare function describeBuildError(error: unknown): string
export declare function fileSize(file: string): { bytes: number; gzipBytes: number }
