import { readFileSync } from 'node:fs'
import { withUser } from '../../auth/local-user.js'
import { parseUserClaims } from '../../auth/mint.js'
import { dirname, relative, resolve } from 'node:path'
import type { LambdaHandler } from '../../dev/execution-environment.js'
import { startDevServer } from '../../dev/server.js'
import { watchTree, type TreeWatcher } from '../../dev/watch-tree.js'
import { CliError, loadEntry, multiValueOf, type LoadedApp } from '../load-entry.js'
import { RULE_HEADER, formatTable, ruleRows } from '../print.js'
import { describeMultiValueNeed } from '../../rules/header-mode.js'
import { openDevDocs } from './dev-docs.js'

export interface DevOptions {
  readonly port: number
  readonly host: string
  /** Default: the mode the manifest deploys (multiValueOf). */
  readonly multiValue?: boolean
  readonly watch: boolean
  /** The function timeout in seconds. */
  readonly timeout: number
  /** How long the entry may take to load (load-entry.ts); default ALBATROSS_LOAD_TIMEOUT or 30. */
  readonly loadTimeout?: number
  /**
   * Claims of a user ALB has logged in (`'sub=alice,email=a@example.com'`, or `@file.json`): each
   * request to an `@Authenticate` route carries the token headers ALB would add, signed with a
   * local key the app is told to trust.
   */
  readonly user?: string
  /** Serve the OpenAPI document and a reference page under this prefix (`true`: `/__albatross`). */
  readonly docs?: boolean | string
}

export interface DevSession {
  readonly url: string
  readonly port: number
  /** Re-imports the entry; on failure the previous app keeps serving. Resolves true on success. */
  reload(): Promise<boolean>
  close(): Promise<void>
}

// Lambda's maximum function timeout:
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
const LAMBDA_MAX_TIMEOUT_SECONDS = 900
const WATCH_DEBOUNCE_MS = 150
const ORPHAN_CHECK_MS = 250
const IGNORED_PATH = /(^|[\\/])(node_modules|\.git|dist)([\\/]|$)/

/** `albatross dev <entry>`: serves the app behind a local ALB until SIGINT or SIGTERM. */
export async function devCommand(entry: string, options: DevOptions): Promise<void> {
  // Read before the (slow) entry import, so that a parent gone by the time we listen is seen.
  const parent = process.ppid
  const session = await startDev(entry, options)
  await new Promise<void>((resolve) => {
    const stop = () => {
      // A second Ctrl-C during shutdown gets Node's default: exit at once.
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      clearInterval(orphaned)
      session.close().then(resolve, resolve)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    // npm runs a script through `sh -c` and forwards SIGTERM (and a SIGINT sent to its PID) only
    // to that shell, which dies without passing it on: the server would keep the port with nobody
    // left to stop it. A new parent process means whoever started us is gone, so stop too.
    const orphaned = setInterval(() => {
      if (process.ppid !== parent) stop()
    }, ORPHAN_CHECK_MS)
    orphaned.unref()
  })
}

/**
 * Loads the entry, prints its route table and the URL, and starts the server; with `watch`,
 * every change under the entry's directory reloads the app. `log` receives every line (default
 * console.log), which lets tests read what a developer would see.
 */
export async function startDev(
  entry: string,
  options: DevOptions,
  io: { log?: (line: string) => void } = {},
): Promise<DevSession> {
  const log = io.log ?? ((line: string) => console.log(line))
  checkOptions(options)
  const claims = options.user === undefined ? undefined : userClaims(options.user)
  const app = await loadEntry(entry, { timeoutSeconds: options.loadTimeout })
  const ref: { current: LambdaHandler; app: LoadedApp } = { current: app.handler, app }
  const multiValue = options.multiValue ?? multiValueOf(app).needed
  printRoutes(app, multiValue, log)
  let url = ''
  const docs = options.docs === undefined || options.docs === false ? undefined : openDevDocs(entry, app, options.docs, () => url)
  const server = await startDevServer({
    ...(docs === undefined ? {} : { intercept: docs.docs.handle }),
    handler: ref,
    ...(claims === undefined ? {} : { transformEvent: (event) => withUser(ref.app, event, claims) }),
    port: options.port,
    host: options.host,
    multiValue,
    timeoutMs: options.timeout * 1000,
    log,
  })
  const mode = multiValue ? 'multi-value headers' : 'single-value headers'
  const dir = dirname(resolve(entry))
  if (claims !== undefined) log(`logged in as ${JSON.stringify(claims)} on @Authenticate routes (tokens signed with a local key)`)
  log(
    `albatross dev: ${server.url}  (${mode}, timeout ${options.timeout} s` +
      `${options.watch ? `, watching ${relative(process.cwd(), dir) || '.'}` : ''})`,
  )
  url = server.url
  if (docs !== undefined) log(`API reference: ${server.url}${docs.prefix}/docs  (OpenAPI: ${server.url}${docs.prefix}/openapi.json)`)

  let reloading: Promise<boolean> = Promise.resolve(true)
  const reload = (): Promise<boolean> => {
    reloading = reloading.then(async () => {
      try {
        const next = await loadEntry(entry, { fresh: true, timeoutSeconds: options.loadTimeout })
        ref.current = next.handler
        ref.app = next
        log(`reloaded ${entry}`)
        const shadowed = docs?.reload(next)
        if (shadowed !== undefined) log(`warning: ${shadowed}`)
        printRoutes(next, multiValue, log)
        return true
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        log(`reload failed, still serving the previous version: ${message}`)
        return false
      }
    })
    return reloading
  }

  let watcher: TreeWatcher | undefined
  let timer: NodeJS.Timeout | undefined
  if (options.watch) {
    watcher = watchTree(
      dir,
      IGNORED_PATH,
      () => {
        clearTimeout(timer)
        timer = setTimeout(() => void reload(), WATCH_DEBOUNCE_MS)
      },
      (error) => log(`not watching a folder, saves in it will not reload: ${error.message}`),
    )
  }

  return {
    url: server.url,
    port: server.port,
    reload,
    close: async () => {
      watcher?.close()
      clearTimeout(timer)
      await reloading
      await server.close()
    },
  }
}

/** `--user 'sub=alice,…'` or `--user @claims.json`. */
function userClaims(text: string): Record<string, unknown> {
  try {
    if (text.startsWith('@')) {
      const claims: unknown = JSON.parse(readFileSync(text.slice(1), 'utf8'))
      if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new Error('the file must hold a JSON object of claims')
      return claims as Record<string, unknown>
    }
    return parseUserClaims(text)
  } catch (error) {
    throw new CliError(`--user: ${error instanceof Error ? error.message : String(error)}`)
  }
}

function checkOptions(options: DevOptions): void {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new CliError(`--port must be 0-65535, got ${options.port}`)
  }
  if (!(options.timeout > 0 && options.timeout <= LAMBDA_MAX_TIMEOUT_SECONDS)) {
    throw new CliError(
      `--timeout must be 1-${LAMBDA_MAX_TIMEOUT_SECONDS} seconds, as for a Lambda function; ` +
        `got ${options.timeout}`,
    )
  }
}

function printRoutes(app: LoadedApp, multiValue: boolean, log: (line: string) => void): void {
  const rows = ruleRows(app.table.rules)
  const fallback = `fixed-response ${app.defaultAction.statusCode}`
  rows.push(['default', '(no rule matched)', fallback, 'defaultAction'])
  log(formatTable(RULE_HEADER, rows))
  const need = multiValueOf(app)
  if (need.needed && !multiValue) {
    log(
      `warning: the manifest deploys multi-value headers (${describeMultiValueNeed(need)}), ` +
        'but this server runs in single-value mode: repeated headers and query keys reach the app as their ' +
        'last value only; start without --no-multi-value to match the deployment',
    )
  }
}
