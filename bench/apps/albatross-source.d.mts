// Types for albatross-source.mjs.
import type { BenchRoute } from '../workload.mjs'

export declare function albatrossSource(
  routes: BenchRoute[],
  options?: { dtoRoute?: string; srcImport?: string; title?: string; middleware?: number; regexPaths?: boolean; table?: string },
): string
export declare function canonicalAlbatrossApps(): Promise<Record<string, string>>
