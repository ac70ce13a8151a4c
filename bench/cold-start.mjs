// Cold start, twice over: the whole process as Lambda's init + first invoke sees it (spawn node,
// import the bundle, answer one event, exit), and inside that process the time from `import()`
// to the first answer (what a framework adds on top of Node's own start-up).

import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { lambdaContext } from './workload.mjs'

// Node initialises its file-URL module loading on the first import() of a file (~6 ms here);
// the Lambda runtime has imported its own files before it imports the handler, so the in-process
// figure starts after importing this empty module.
const NOOP = path.join(path.dirname(fileURLToPath(import.meta.url)), '.build', 'noop.mjs')

function spawnTimed(args) {
  const start = process.hrtime.bigint()
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 })
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6
  if (child.status !== 0) {
    throw new Error(`node ${args[0]} … exited ${child.status}: ${(child.stderr || '').trim().split('\n').slice(-3).join(' | ')}`)
  }
  return { wallMs, stdout: child.stdout }
}

// The CPU time of the whole process (every thread: V8 compiles and collects garbage on helper
// threads too), read just before it exits.
const CPU_OUT = 'const cpu = process.cpuUsage(); process.stdout.write(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000 }))'

/**
 * `node -e 0` (plus the line that reports its CPU time): the floor every cold start is reported
 * net of, as { wallMs, cpuMs }.
 */
export function nodeFloorOnce() {
  const { wallMs, stdout } = spawnTimed(['-e', CPU_OUT])
  return { wallMs, cpuMs: JSON.parse(stdout).cpuMs }
}

/**
 * One cold start of `bundle` answering `event`: { wallMs, cpuMs, inProcessMs, status } (cpuMs:
 * the whole process's CPU time, every thread). The child exits
 * as soon as it has answered, so a timer a framework leaves behind cannot stretch the figure.
 */
export function coldStartOnce(bundle, event) {
  mkdirSync(path.dirname(NOOP), { recursive: true })
  writeFileSync(NOOP, 'export {}\n')
  const context = lambdaContext()
  const script = [
    `await import(${JSON.stringify(pathToFileURL(NOOP).href)});`,
    `const event = ${JSON.stringify(event)};`,
    `const context = { ...${JSON.stringify(context)}, getRemainingTimeInMillis: () => 30000, done() {}, fail() {}, succeed() {} };`,
    'const t0 = performance.now();',
    `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)});`,
    'const result = await m.handler(event, context);',
    'const ms = performance.now() - t0;',
    'const cpu = process.cpuUsage();',
    'process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, status: result.statusCode }));',
    'process.exit(0);',
  ].join('\n')
  const { wallMs, stdout } = spawnTimed(['--input-type=module', '-e', script])
  const out = JSON.parse(stdout)
  return { wallMs, cpuMs: out.cpuMs, inProcessMs: out.ms, status: out.status }
}
