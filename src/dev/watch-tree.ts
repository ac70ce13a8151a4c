import { lstatSync, readdirSync, watch, type FSWatcher } from 'node:fs'
import { join, relative, sep } from 'node:path'

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
    } catch (error) {
      // Gone before it could be watched: its parent's watch reported that. Anything else (ENOSPC:
      // the system's limit of watches, fs.inotify.max_user_watches on Linux) leaves saves in it
      // unreported, which the developer must hear of.
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') onError(error as Error)
      return
    }
    watcher.on('error', (error) => {
      watcher.close()
      // Only this watch's own entry: the folder may be watched again already (changed, below).
      if (watchers.get(dir) === watcher) watchers.delete(dir)
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
    if (name !== undefined) {
      // A folder its parent names was created, removed, moved or replaced: a watch follows the
      // folder it was opened on, so the old one's (and its subfolders') would keep the path
      // while a folder made again there went unwatched. Watch what is there now.
      if (watchers.has(path)) unwatch(path)
      if (isFolder(path)) add(path)
    }
    onChange(rel)
  }

  const unwatch = (dir: string): void => {
    for (const [watched, watcher] of watchers) {
      if (watched === dir || watched.startsWith(dir + sep)) {
        watcher.close()
        watchers.delete(watched)
      }
    }
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

/**
 * A folder itself, not a link to one: as at the start (subfolders) and as Node's recursive watch,
 * a symbolic link is not followed, so a link to an ancestor cannot watch the tree again under it.
 */
function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory()
  } catch {
    return false
  }
}
