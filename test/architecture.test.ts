import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// STYLE.md § Dependency direction: pure logic (rules/, router/, alb/) stays apart from I/O
// (cli/, dev/), and dependencies point one way. This reads every import in src/ and checks it.

const src = fileURLToPath(new URL('../src', import.meta.url))

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  )
}

/** Import specifiers of a file, resolved to `src/`-relative folders for local imports. */
function importsOf(file: string): { spec: string; target: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => {
    const spec = (m[3] ?? m[4]) as string
    const target = spec.startsWith('.') ? path.relative(src, path.resolve(path.dirname(file), spec)) : spec
    return { spec, target, typeOnly: m[2] !== undefined }
  })
}

const folderOf = (relative: string): string => (relative.includes(path.sep) ? (relative.split(path.sep)[0] as string) : relative.replace(/\.(js|ts)$/, ''))

/** folder → may it import `target` (a src-relative path or a package name)? */
const ALLOWED: Record<string, (target: string, typeOnly: boolean) => boolean> = {
  rules: (t) => t.startsWith('node:') || folderOf(t) === 'rules',
  alb: (t, typeOnly) => t.startsWith('node:') || folderOf(t) === 'alb' || (t === 'aws-lambda' && typeOnly),
  router: (t) => ['router', 'rules'].includes(folderOf(t)),
  metadata: (t) => ['metadata', 'rules'].includes(folderOf(t)),
  decorators: (t) => ['decorators', 'metadata', 'rules'].includes(folderOf(t)),
  binding: (t) =>
    ['binding', 'metadata', 'alb', 'http-error', 'reply'].includes(folderOf(t)) ||
    t.startsWith('class-validator') || t.startsWith('class-transformer') || t.startsWith('node:'),
  manifest: (t) => ['manifest', 'rules'].includes(folderOf(t)) || t === 'yaml',
  // DESIGN.md Layout: the construct imports manifest/, never app code paths.
  cdk: (t, typeOnly) =>
    ['cdk', 'manifest'].includes(folderOf(t)) || (folderOf(t) === 'rules' && typeOnly) ||
    t === 'aws-cdk-lib' || t.startsWith('aws-cdk-lib/') || t === 'constructs',
  auth: (t, typeOnly) =>
    t.startsWith('node:') || t.startsWith('aws-jwt-verify/') || (t === 'aws-lambda' && typeOnly) ||
    ['auth', 'metadata', 'rules', 'alb', 'decorators', 'binding', 'pipeline', 'http-error', 'error-report'].includes(folderOf(t)),
  // The generator reads what the binder reads (binding/dto-plan) and class-validator's metadata.
  openapi: (t) =>
    ['openapi', 'rules', 'metadata', 'binding', 'alb'].includes(folderOf(t)) || t === 'yaml' || t.startsWith('class-validator'),
  // albatross/compiled's app (compiled/): the deployed request path from the compiled table, built
  // from the same leaves as runtime/; never the CLI, dev server or generators. The entry
  // (src/compiled.ts) takes albatross/lambda's options type, nothing of its code.
  compiled: (t, typeOnly) =>
    ['compiled', 'alb', 'binding', 'metadata', 'pipeline', 'rules', 'router', 'runtime', 'verified-table', 'error-report', 'http-error', 'native-actions'].includes(folderOf(t)) ||
    ((t === 'aws-lambda' || folderOf(t) === 'app-types' || folderOf(t) === 'lambda') && typeOnly),
  // The pipeline sits between app.ts and the leaves: it composes what binding/ and alb/ provide.
  pipeline: (t, typeOnly) =>
    ['pipeline', 'metadata', 'decorators', 'binding', 'alb', 'rules', 'http-error', 'reply'].includes(folderOf(t)) ||
    (t === 'aws-lambda' && typeOnly) || (t === 'class-validator' && typeOnly),
}

describe('import boundaries (STYLE.md § Dependency direction)', () => {
  const files = filesUnder(src)
  it('finds the sources', () => expect(files.length).toBeGreaterThan(30))

  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`${folder}/ imports only what it may`, () => {
      const bad = files
        .filter((f) => folderOf(path.relative(src, f)) === folder)
        .flatMap((f) => importsOf(f).filter((i) => !allowed(i.target, i.typeOnly)).map((i) => `${path.relative(src, f)} → ${i.spec}`))
      expect(bad).toEqual([])
    })
  }

  // DESIGN.md § Layout: auth/ loads only when used. An app reaches it through @Authenticate alone
  // (its decorator hands createApp the gate), so a bundle without the decorator has none of it.
  it('app.ts and index.ts reach auth/ only through types and the decorators; only auth/verifier.ts imports aws-jwt-verify', () => {
    const bad = files.flatMap((f) => {
      const rel = path.relative(src, f)
      return importsOf(f)
        .filter((i) =>
          (i.spec.startsWith('aws-jwt-verify') && rel !== path.join('auth', 'verifier.ts')) ||
          (rel === 'app.ts' && folderOf(i.target) === 'auth' && !i.typeOnly) ||
          (rel === 'index.ts' && folderOf(i.target) === 'auth' && !i.typeOnly && i.target !== path.join('auth', 'decorators.js')),
        )
        .map((i) => `${rel} → ${i.spec}`)
    })
    expect(bad).toEqual([])
  })

  it('nothing outside cli/ and dev/ imports cli/ or dev/', () => {
    const bad = files
      .filter((f) => !['cli', 'dev'].includes(folderOf(path.relative(src, f))))
      .flatMap((f) => importsOf(f).filter((i) => ['cli', 'dev'].includes(folderOf(i.target))).map((i) => `${path.relative(src, f)} → ${i.spec}`))
    expect(bad).toEqual([])
  })

  it('only cdk/ imports cdk/, aws-cdk-lib or constructs (optional peers: an app that does not deploy with CDK never loads them)', () => {
    const cdkPackage = (t: string) => t === 'aws-cdk-lib' || t.startsWith('aws-cdk-lib/') || t === 'constructs'
    const bad = files
      .filter((f) => folderOf(path.relative(src, f)) !== 'cdk')
      .flatMap((f) => importsOf(f).filter((i) => folderOf(i.target) === 'cdk' || cdkPackage(i.target)).map((i) => `${path.relative(src, f)} → ${i.spec}`))
    expect(bad).toEqual([])
    // Nor by a dynamic import or require that the regex above would not see.
    const dynamic = files
      .filter((f) => folderOf(path.relative(src, f)) !== 'cdk')
      .filter((f) => /(import|require)\(\s*['"](aws-cdk-lib|constructs|[./]+cdk\/)/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(src, f))
    expect(dynamic).toEqual([])
  })

  it('the Lambda entry reaches manifest/ and openapi/ only through types and on-demand imports (DESIGN.md § Layout)', () => {
    const bad = files
      .filter((f) => !['cli', 'dev', 'manifest', 'openapi', 'cdk'].includes(folderOf(path.relative(src, f))))
      .flatMap((f) => importsOf(f).filter((i) => ['manifest', 'openapi'].includes(folderOf(i.target)) && !i.typeOnly).map((i) => `${path.relative(src, f)} → ${i.spec}`))
    expect(bad).toEqual([])
  })

  it("only testing.ts and lambda-checks.ts import albatross/compiled's table checks (an app bundled from albatross carries none of them, issue #18)", () => {
    const bad = files
      .filter((f) => !['testing.ts', 'lambda-checks.ts'].includes(path.relative(src, f)) && folderOf(path.relative(src, f)) !== 'compiled')
      .flatMap((f) => importsOf(f).filter((i) => i.target === path.join('compiled', 'mismatch.js') && !i.typeOnly).map((i) => `${path.relative(src, f)} → ${i.spec}`))
    expect(bad).toEqual([])
  })

  it('only cli/ and dev/ touch process, the file system, node:http or the console (app.ts reports through onError)', () => {
    const bad = files
      .filter((f) => !['cli', 'dev'].includes(folderOf(path.relative(src, f))))
      .filter((f) => /\bprocess\.|from 'node:(fs|http|child_process)'|console\.(log|info)/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(src, f))
    expect(bad).toEqual([])
  })
})
