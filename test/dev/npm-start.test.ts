import { spawn, type ChildProcess } from 'node:child_process'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

// `npm start` as a developer runs it: npm → sh -c → node (the dev server). A signal sent to npm's
// PID (a process manager, `kill <pid>`, an IDE's stop button) reaches only npm and the shell, so
// the server itself must notice and free the port.
const root = fileURLToPath(new URL('../..', import.meta.url))
const started: ChildProcess[] = []

afterAll(() => {
  // Whatever is left of a failed run: the whole process group, by the id we started.
  for (const child of started) {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
  }
})

function npmStart(): Promise<{ npm: ChildProcess; port: number }> {
  const npm = spawn('npm', ['start', '--', '--port', '0'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(npm)
  return new Promise((resolve, reject) => {
    let out = ''
    npm.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /albatross dev: http:\/\/127\.0\.0\.1:(\d+)/.exec(out)
      if (m) resolve({ npm, port: Number(m[1]) })
    })
    npm.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()))
    npm.on('exit', (code) => reject(new Error(`npm start exited (${code}) before serving:\n${out}`)))
  })
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

async function portFreed(port: number): Promise<boolean> {
  // The server polls for its parent every 250 ms; allow a generous margin on a loaded machine.
  for (let i = 0; i < 100; i++) {
    if (!(await portOpen(port))) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return false
}

describe('npm start', () => {
  // SIGINT and SIGTERM: npm forwards them to the script, which `exec`s node so that no shell sits
  // in between to swallow them. SIGKILL: npm cannot forward anything; the server sees its parent
  // change and stops (the same check covers scripts that run `albatross dev` without exec).
  it.concurrent.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)('%s to the npm process stops the dev server and frees its port', async (signal) => {
    const { npm, port } = await npmStart()
    expect(await portOpen(port)).toBe(true)
    const exited = new Promise((resolve) => npm.once('exit', resolve))
    process.kill(npm.pid!, signal)
    await exited
    expect(await portFreed(port)).toBe(true)
  }, 60_000)
})
