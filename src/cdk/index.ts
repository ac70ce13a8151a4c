/**
 * `albatross/cdk`: the app's listener rules as an AWS CDK v2 construct. `aws-cdk-lib` and
 * `constructs` are optional peer dependencies: only code that imports this entry loads them.
 * @module
 */
export { AlbatrossRules, AlbatrossRulesError } from './albatross-rules.js'
export type { AlbatrossApp, AlbatrossRule, AlbatrossRulesProps, AlbatrossTarget } from './albatross-rules.js'
