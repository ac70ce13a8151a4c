import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs'
import { join, relative } from 'node:path'

export interface TreeWatcher {
  close(): void
}

/**
 * Calls `onChange` with the path (relative to `root`) of every file changed, added, removed or
 * renamed under `root`, skipping the folders `ignored` matches (their path relative to `root`).
 *
 * One watcher per folder rather than `fs.watch(root, { recursive: true })`: on Linux, Node 20's
 * recursive watch follows each file by its inode, so once an editor saves a file the atomic way
 * (a temporary file renamed over it: vim, JetBrains' safe write, `sed -i`), later in-place saves
 * of that file report nothing. A folder's own watch reports every entry it holds, whatever
 * replaced it, and that holds on every platform.
 */
export function watchTree(
  root: string,
  ignored: RegExp,
  onChange: (file: string) => void,
  onError: (error: Error) => void,
): TreeWatcher {
  const watchers = new Map<string, FSWatcher>()
  let closed = false

  const add = (dir: string): void => {
    if (closed || watchers.has(dir)) return
    const rel = relative(root, dir)
    if (rel !== '' && ignored.test(rel)) return
    let watcher: FSWatcher
    try {
      watcher = watch(dir, (_event, name) => changed(dir, name === null ? undefined : String(name)))
    } catch {
      return // gone before it could be watched: its parent's watch reported that
    }
    watcher.on('error', (error) => {
      watcher.close()
      watchers.delete(dir)
      // A folder removed while watched errors on some platforms: not worth a message.
      if ((error as NodeJS.ErrnoException).code !== 'EPERM' && (error as NodeJS.ErrnoException).code !== 'ENOENT') onError(error)
    })
    watchers.set(dir, watcher)
    for (const sub of subfolders(dir)) add(sub)
  }

  const changed = (dir: string, name: string | undefined): void => {
    if (closed) return
    const path = name === undefined ? dir : join(dir, name)
    const rel = relative(root, path)
    if (ignored.test(rel)) return
    // A folder created or moved in: watch it (and what it holds) too.
    if (name !== undefined && !watchers.has(path) && isFolder(path)) add(path)
    onChange(rel)
  }

  add(root)
  return {
    close() {
      closed = true
      for (const watcher of watchers.values()) watcher.close()
      watchers.clear()
    },
  }
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(dir, entry.name))
  } catch {
    return []
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
