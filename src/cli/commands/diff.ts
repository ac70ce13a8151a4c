export { diffOutput } from './manifest.js'
