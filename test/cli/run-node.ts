import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** What a finished child process left: its exit code and everything it printed. */
export interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs `node <args>` in `cwd` with `env` added to this process's (colours off), collecting its
 * output: the CLI tests run the real command line, as a user's shell would.
 */
export function runNode(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/**
 * A temporary TypeScript project (its tsconfig enabling legacy decorators, `type: module`) whose
 * entries import this checkout's sources, with the real CLI and node run in it through this
 * checkout's tsx (the project has no node_modules). Removed by `remove`.
 */
export function tempProject(prefix: string): {
  readonly dir: string
  node(args: readonly string[]): Promise<Run>
  albatross(...args: string[]): Promise<Run>
  remove(): void
} {
  const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', experimentalDecorators: true, useDefineForClassFields: false } }),
  )
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
  const tsx = pathToFileURL(path.join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href
  const node = (args: readonly string[]) => runNode(['--import', tsx, ...args], dir)
  return {
    dir,
    node,
    albatross: (...args) => node([path.join(repoRoot, 'src/cli/main.ts'), ...args]),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
