import type { AlbHandler, App, AppOptions } from '../app-types.js'
import { AlbatrossError } from '../http-error.js'
import { REQUIRES, TRUSTED_BUNDLE, addPendingApp, registeredCheckingApp } from './mode.js'

// A specifier bundlers cannot follow, so a Lambda bundle never carries the checks.
const CHECKS_MODULE = '../lambda-checks.js'

/**
 * Every check, by the checking createApp of this copy (its decorators recorded the controllers),
 * for albatross/lambda's and albatross/compiled's createApp under the CLI and in tests. `unbundled`:
 * the calling entry is the module as published or compiled, so the checks are beside it; in a
 * bundle there are none, and the app `trusting` builds is marked TRUSTED_BUNDLE for the CLI.
 */
export function checkedApp<O extends AppOptions>(given: O, trusting: (options: O) => App, unbundled: boolean, requires?: 'compiled'): App {
  // The checking createApp refuses too what the calling entry could not run (app.ts).
  const options = requires === undefined ? given : { ...given, [REQUIRES]: requires }
  const checking = registeredCheckingApp() as ((options: AppOptions) => App) | undefined
  if (checking !== undefined) return checking(options)
  // A bundle has no checks to run: its table was verified when it was built.
  if (!unbundled) return Object.defineProperty(trusting(options), TRUSTED_BUNDLE, { value: true })
  const loading = (import(/* @vite-ignore */ CHECKS_MODULE) as Promise<typeof import('../lambda-checks.js')>).then((checks) => checks.createApp(options))
  return deferredApp(loading)
}

/**
 * The app the CLI reads once `loading` settles (it awaits every pending app after importing the
 * entry): the entry's module runs apart from the CLI's (tsx), so this copy's checking createApp
 * loads on demand. Its handler waits for it; anything else read earlier is an error that says so.
 */
function deferredApp(loading: Promise<App>): App {
  let ready: App | undefined
  let failure: { readonly error: unknown } | undefined
  const settled = loading.then(
    (app) => (ready = app),
    (error: unknown) => {
      failure = { error }
      throw error
    },
  )
  // Reported by whoever awaits the pending apps (the CLI) or calls the handler.
  settled.catch(() => undefined)
  addPendingApp(settled)
  const handler: AlbHandler = (event, context) => settled.then((app) => app.handler(event, context))
  return new Proxy({} as App, {
    get(_target, key) {
      if (key === 'handler') return handler
      // An app is no promise: `await` and an async function returning it look for `then`.
      if (key === 'then') return undefined
      if (ready === undefined) {
        // Its checks refused it: that, not "still loading", is what a read must say.
        if (failure !== undefined) throw failure.error
        throw new AlbatrossError('ERR_APP_LOADING', `albatross/lambda: the app is still loading its checks (asked for by the CLI or albatross/testing), so ${String(key)} is not known yet: call app.handler, which waits for them`)
      }
      return Reflect.get(ready, key) as unknown
    },
    has: (_target, key) => key === 'handler' || (ready !== undefined && key in ready),
  })
}
