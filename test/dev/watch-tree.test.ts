import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { watchTree, type TreeWatcher } from '../../src/dev/watch-tree.js'

// `albatross dev --watch` reloads on these events. Real folders and real writes: what an editor
// does to a file is the point.

const IGNORED = /(^|[\\/])(node_modules|\.git|dist)([\\/]|$)/

async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 150))

describe('watchTree', () => {
  let root: string
  let watcher: TreeWatcher | undefined
  const seen: string[] = []
  const errors: Error[] = []

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'albatross-watch-'))
    mkdirSync(path.join(root, 'src'))
    writeFileSync(path.join(root, 'src', 'users.ts'), 'v1')
    seen.length = 0
    errors.length = 0
  })
  afterEach(() => {
    watcher?.close()
    rmSync(root, { recursive: true, force: true })
  })

  const start = () => {
    watcher = watchTree(root, IGNORED, (file) => seen.push(file), (error) => errors.push(error))
  }
  const sawUsers = () => seen.includes(path.join('src', 'users.ts'))

  it('reports in-place saves of a file in a subfolder', async () => {
    start()
    writeFileSync(path.join(root, 'src', 'users.ts'), 'v2')
    await until(sawUsers, 'the in-place save')
  })

  // Node 20's recursive fs.watch on Linux loses a file once a rename replaces it: this is the
  // sequence it missed (an atomic save, as vim or `sed -i` make, then an ordinary save).
  it('still reports in-place saves of a file an atomic save replaced', async () => {
    start()
    const file = path.join(root, 'src', 'users.ts')
    writeFileSync(path.join(root, 'src', '.users.ts.tmp'), 'v2')
    renameSync(path.join(root, 'src', '.users.ts.tmp'), file)
    await until(sawUsers, 'the atomic save')
    await settle()
    seen.length = 0
    writeFileSync(file, 'v3')
    await until(sawUsers, 'the in-place save after the atomic one')
    writeFileSync(file, 'v4')
    await settle()
    seen.length = 0
    writeFileSync(file, 'v5')
    await until(sawUsers, 'a second in-place save')
  })

  it('watches folders created after it started, and what is saved in them', async () => {
    start()
    mkdirSync(path.join(root, 'src', 'orders'))
    await until(() => seen.includes(path.join('src', 'orders')), 'the new folder')
    await settle()
    writeFileSync(path.join(root, 'src', 'orders', 'orders.ts'), 'v1')
    await until(() => seen.includes(path.join('src', 'orders', 'orders.ts')), 'a file in the new folder')
  })

  it('ignores node_modules, .git and dist, and stops reporting once closed', async () => {
    mkdirSync(path.join(root, 'node_modules', 'pkg'), { recursive: true })
    mkdirSync(path.join(root, 'dist'))
    start()
    writeFileSync(path.join(root, 'node_modules', 'pkg', 'index.js'), 'x')
    writeFileSync(path.join(root, 'dist', 'app.js'), 'x')
    mkdirSync(path.join(root, '.git'))
    writeFileSync(path.join(root, '.git', 'HEAD'), 'x')
    // A save after them: once it is seen, the others had their chance to be reported.
    writeFileSync(path.join(root, 'src', 'users.ts'), 'v2')
    await until(sawUsers, 'the save in src')
    await settle()
    expect(seen.filter((file) => IGNORED.test(file))).toEqual([])
    watcher?.close()
    seen.length = 0
    writeFileSync(path.join(root, 'src', 'users.ts'), 'v3')
    await settle()
    expect(seen).toEqual([])
    expect(errors).toEqual([])
  })
})
