import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
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

  // A watch follows the folder it was opened on, not its path (git checkout, rm -rf then a
  // generator): the folder made again at that path was left unwatched.
  it('watches a folder removed and made again, and what is saved in it', async () => {
    mkdirSync(path.join(root, 'src', 'orders', 'lines'), { recursive: true })
    start()
    rmSync(path.join(root, 'src', 'orders'), { recursive: true })
    await until(() => seen.includes(path.join('src', 'orders')), 'the removal')
    await settle()
    seen.length = 0
    mkdirSync(path.join(root, 'src', 'orders', 'lines'), { recursive: true })
    await until(() => seen.includes(path.join('src', 'orders')), 'the new folder')
    await settle()
    writeFileSync(path.join(root, 'src', 'orders', 'lines', 'lines.ts'), 'v1')
    await until(() => seen.includes(path.join('src', 'orders', 'lines', 'lines.ts')), 'a save in the folder made again')
  })

  it('stops watching a folder moved out of the tree', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'albatross-watch-out-'))
    try {
      mkdirSync(path.join(root, 'src', 'orders'))
      start()
      renameSync(path.join(root, 'src', 'orders'), path.join(outside, 'orders'))
      await until(() => seen.includes(path.join('src', 'orders')), 'the move')
      await settle()
      seen.length = 0
      writeFileSync(path.join(outside, 'orders', 'orders.ts'), 'v1')
      // A save in the tree after it: once it is seen, the other had its chance to be reported.
      writeFileSync(path.join(root, 'src', 'users.ts'), 'v2')
      await until(sawUsers, 'the save in src')
      await settle()
      expect(seen).not.toContain(path.join('src', 'orders', 'orders.ts'))
    } finally {
      rmSync(outside, { recursive: true, force: true })
    }
  })

  // Links are not followed, made before or after the start: a link made later to the root
  // watched the whole tree a second time under it, and each save was reported twice.
  it('does not follow a link to a folder made after it started', async () => {
    start()
    symlinkSync(root, path.join(root, 'src', 'root-link'))
    await until(() => seen.includes(path.join('src', 'root-link')), 'the link')
    await settle()
    seen.length = 0
    writeFileSync(path.join(root, 'src', 'users.ts'), 'v2')
    await until(sawUsers, 'the save')
    await settle()
    expect(seen.filter((file) => file.startsWith(path.join('src', 'root-link')))).toEqual([])
  })

  // Saves in a folder that could not be watched reload nothing: the developer must hear of it.
  // Past PATH_MAX, as past the system's limit of watches (ENOSPC), the watch cannot be opened.
  it('reports a folder it cannot watch, and watches the others', async () => {
    const segment = 'x'.repeat(250)
    const deep = Array.from({ length: 18 }, () => segment).join('/')
    // mkdir -p walks there by relative steps; Node's mkdirSync takes the whole path at once.
    execFileSync('mkdir', ['-p', deep], { cwd: path.join(root, 'src') })
    try {
      start()
      expect(errors.map((error) => (error as NodeJS.ErrnoException).code)).toEqual(['ENAMETOOLONG'])
      writeFileSync(path.join(root, 'src', 'users.ts'), 'v2')
      await until(sawUsers, 'a save beside the folder it cannot watch')
    } finally {
      watcher?.close()
      // rm -r walks down too; Node's rmSync fails past PATH_MAX.
      execFileSync('rm', ['-r', segment], { cwd: path.join(root, 'src') })
    }
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
