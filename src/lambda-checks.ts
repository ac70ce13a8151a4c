/**
 * What `albatross/lambda` and `albatross/compiled` load, from their own copy of albatross, when
 * the CLI asks for every check (verified-table/checked-app.ts): the checking createApp, and the
 * checks of albatross/compiled's tables, which the checking createApp reads from mode.ts.
 * @module
 */
import { compiledChecks } from './compiled/mismatch.js'
import { registerCompiledChecks } from './verified-table/mode.js'

registerCompiledChecks(compiledChecks)

export { createApp } from './app.js'
