/**
 * What `albatross/lambda` loads, from its own copy of albatross, when the CLI asks for every
 * check (lambda.ts): the checking createApp.
 * @module
 */
export { createApp } from './app.js'
