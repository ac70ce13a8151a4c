// Each handler as it would be deployed: one esbuild bundle, everything inlined, minified.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'

// Bundling CommonJS packages into an ESM file leaves their require() of Node built-ins as a
// runtime error; the usual Lambda fix (AWS CDK's NodejsFunction docs) is this banner. Only bundles
// that need it get it.
const REQUIRE_BANNER = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);"

const OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  // The README's recipe (Bundling for Lambda): names kept, as albatross apps without a verified
  // table need for their route names; every handler is bundled the same way, but for the app
  // given its table, which names its routes from it (the recipe leaves the flag out there).
  keepNames: true,
  write: false,
  logLevel: 'silent',
  // ESM entry points of packages first, as AWS CDK's NodejsFunction sets for ESM bundles
  // (mainFields module,main): packages that ship both builds tree-shake, for every app alike.
  mainFields: ['module', 'main'],
  tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
  // The one exception to "bundle everything": the AWS SDK v3 ships in the Node 20 Lambda
  // runtime. lambda-api import()s @aws-sdk/client-s3 lazily for its S3 helpers (never on this
  // workload's path), and the SDK is not installed here, so it stays an import as in production.
  external: ['@aws-sdk/*'],
}

/**
 * Bundles `entry` to `outfile`; returns { outfile, bytes, gzipBytes, banner }. Throws esbuild's
 * error (with its messages) when the entry does not build. `keepNames: false` for an app given
 * its verified table (see appSpec in profile.mjs).
 */
export async function bundle(entry, outfile, { keepNames = true } = {}) {
  const options = { ...OPTIONS, keepNames }
  let result = await esbuild.build({ ...options, entryPoints: [entry], outfile, metafile: true })
  let code = result.outputFiles[0].contents
  let banner = false
  if (Buffer.from(code).includes('Dynamic require of')) {
    result = await esbuild.build({ ...options, entryPoints: [entry], outfile, metafile: true, banner: { js: REQUIRE_BANNER } })
    code = result.outputFiles[0].contents
    banner = true
  }
  mkdirSync(path.dirname(outfile), { recursive: true })
  writeFileSync(outfile, code)
  return {
    outfile,
    bytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
    banner,
    composition: composition(result.metafile),
  }
}

/**
 * Minified bytes by package (or by top-level project folder), largest first: what a bundle is
 * made of, so a size figure comes with its reason.
 */
function composition(metafile) {
  const output = Object.values(metafile.outputs)[0]
  const parts = new Map()
  for (const [file, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const pkg = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)
    const key = pkg ? pkg[1] : file.split('/').slice(0, 2).join('/')
    parts.set(key, (parts.get(key) ?? 0) + bytesInOutput)
  }
  return [...parts].sort((a, b) => b[1] - a[1]).map(([part, bytes]) => ({ part, bytes }))
}

/** The first lines of an esbuild failure, for a one-paragraph explanation. */
export function describeBuildError(error) {
  if (Array.isArray(error?.errors) && error.errors.length > 0) {
    return error.errors
      .slice(0, 3)
      .map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`)
      .join('; ')
  }
  return String(error?.message ?? error).split('\n')[0]
}

export function fileSize(file) {
  const code = readFileSync(file)
  return { bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength }
}
