import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import * as classTransformer from 'class-transformer'
import * as classValidator from 'class-validator'
import { beforeAll, describe, expect, it } from 'vitest'
import { readmeBlocks, type CodeBlock } from './readme-blocks.js'

// Every TypeScript block of the README compiles (issue #17 point 3), under the tsconfig the
// README's Install section tells a reader to use, with `albatross` resolving to this repository.
//
// How blocks are compiled (the README's conventions for code blocks, kept here in one place):
// - each block is its own module; a block whose first line is a comment naming a file
//   (`// src/app.ts`) is written at that path, so later blocks can import it (`./app.js`);
// - a block may leave out imports of names exported by `albatross`, `albatross/testing`,
//   `class-validator`, `class-transformer`, and the `Context` type of `aws-lambda`: the test
//   imports those it uses and does not import or declare itself;
// - a block that uses names the reader's own code provides (a repository class, a middleware
//   defined elsewhere) lists them with `<!-- readme-test: given OrderRepo, timing -->` on the
//   line before its fence; each is declared as a value and a type of type `any`;
// - a block that cannot compile standalone (a fragment of a larger file, deliberately wrong
//   code) opts out with `<!-- readme-test: skip <reason> -->` on the line before its fence.

const root = fileURLToPath(new URL('../..', import.meta.url))
const work = path.join(root, 'node_modules/.cache/albatross-readme-ts')
const exec = promisify(execFile)

const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
const blocks = readmeBlocks(readme).filter((b) => b.lang === 'ts' || b.lang === 'typescript')
const compiled = blocks.filter((b) => b.skip === undefined)

interface Placed {
  readonly block: CodeBlock
  readonly file: string
  /** Lines the test added before the block's first line. */
  readonly offset: number
}

/** `export { A, type B } from …` / `export type { C } from …` in an entry module. */
function exportedNames(file: string): Map<string, 'value' | 'type'> {
  const names = new Map<string, 'value' | 'type'>()
  const text = readFileSync(path.join(root, file), 'utf8')
  for (const m of text.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
    for (const raw of m[2]!.split(',')) {
      const spec = raw.trim()
      if (spec === '') continue
      const typeOnly = m[1] !== undefined || spec.startsWith('type ')
      const name = spec.replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim()
      if (!names.has(name)) names.set(name, typeOnly ? 'type' : 'value')
    }
  }
  return names
}

const modules: [string, Map<string, 'value' | 'type'>][] = [
  ['albatross', exportedNames('src/index.ts')],
  ['albatross/testing', exportedNames('src/testing.ts')],
  ['class-validator', new Map(Object.keys(classValidator).map((n) => [n, 'value'] as const))],
  ['class-transformer', new Map(Object.keys(classTransformer).map((n) => [n, 'value'] as const))],
  ['aws-lambda', new Map([['Context', 'type']] as const)],
]

/** Imports for the known names a block uses but neither imports nor declares. */
function prelude(code: string): string[] {
  const own = new Set<string>()
  for (const m of code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const spec of m[1]!.split(',')) own.add(spec.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim())
  }
  for (const m of code.matchAll(/\b(?:class|const|let|var|function|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g)) own.add(m[1]!)
  const taken = new Set(own)
  const lines: string[] = []
  for (const [specifier, names] of modules) {
    const wanted: string[] = []
    for (const [name, kind] of names) {
      if (taken.has(name) || !new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(code)) continue
      taken.add(name)
      wanted.push(kind === 'type' ? `type ${name}` : name)
    }
    if (wanted.length > 0) lines.push(`import { ${wanted.join(', ')} } from '${specifier}'`)
  }
  return lines
}

function readmeTsconfig(): Record<string, unknown> {
  const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('\n## ', readme.indexOf('## Install') + 1))
  const json = readmeBlocks(install).find((b) => b.lang === 'json')
  if (json === undefined) throw new Error('the README Install section has no tsconfig block')
  return JSON.parse(json.code) as Record<string, unknown>
}

const errors = new Map<CodeBlock, string[]>()
let output = ''

beforeAll(async () => {
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  writeFileSync(path.join(work, 'package.json'), '{ "type": "module" }\n')
  const placed: Placed[] = compiled.map((block) => {
    const named = /^\/\/\s*([\w./-]+\.ts)\s*$/.exec(block.code.split('\n')[0] ?? '')
    const file = path.join(work, named?.[1] ?? `readme-line-${block.line}.ts`)
    const given = (block.given ?? []).flatMap((name) => [`declare const ${name}: any`, `type ${name} = any`])
    const head = [...prelude(block.code), ...given, 'export {}']
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, head.join('\n') + '\n' + block.code)
    return { block, file, offset: head.length }
  })
  const tsconfig = readmeTsconfig()
  const compilerOptions = tsconfig['compilerOptions'] as Record<string, unknown>
  writeFileSync(
    path.join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        ...compilerOptions,
        noEmit: true,
        rootDir: root,
        types: ['node'],
        typeRoots: [path.join(root, 'node_modules/@types')],
        paths: {
          albatross: [path.join(root, 'src/index.ts')],
          'albatross/*': [path.join(root, 'src/*.ts'), path.join(root, 'src/*/index.ts')],
        },
      },
      files: [...placed.map((p) => p.file), path.join(root, 'src/binding/class-transformer-storage.d.ts')],
    }),
  )
  try {
    await exec(path.join(root, 'node_modules/.bin/tsc'), ['-p', path.join(work, 'tsconfig.json')], { cwd: work })
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error)
  }
  // `file(line,col): error TSnnnn: message`, continuation lines indented.
  for (const m of output.matchAll(/^(.+?)\((\d+),(\d+)\): error (TS\d+: .*(?:\n {2}.*)*)/gm)) {
    const file = path.resolve(work, m[1]!)
    const at = placed.find((p) => p.file === file)
    const key = at?.block ?? compiled[0]!
    const where = at === undefined ? `${path.relative(root, file)}:${m[2]}` : `README.md:${at.block.line + Number(m[2]) - at.offset}`
    errors.set(key, [...(errors.get(key) ?? []), `${where}: ${m[4]}`])
  }
}, 120_000)

describe('README TypeScript blocks', () => {
  it('finds the blocks, and every opt-out gives a reason', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3)
    for (const b of blocks) if (b.skip !== undefined) expect(b.skip, `README.md:${b.line}`).not.toBe('')
    for (const b of blocks) if (b.given !== undefined) expect(b.given.length, `README.md:${b.line}`).toBeGreaterThan(0)
  })

  it('the compiler ran', () => expect(output).not.toMatch(/error TS(5\d\d\d|6\d\d\d)/))

  it.each(compiled.map((b) => [`README.md:${b.line}`, b] as const))('the block at %s compiles', (_where, block) => {
    expect(errors.get(block) ?? []).toEqual([])
  })
})
