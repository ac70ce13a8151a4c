/**
 * albatross decorators are TypeScript's `experimentalDecorators` (parameter decorators exist only
 * there). Compiled as standard decorators — tsx or esbuild on a file outside the tsconfig that
 * enables them — they would receive `(value, context)` and record nothing, leaving an app that
 * answers 404 to everything. They throw instead.
 */
export function assertLegacyDecorator(second: unknown, name: string): void {
  if (typeof second === 'object' && second !== null && 'kind' in second) {
    throw new TypeError(
      `@${name} ran as a standard (TC39) decorator: albatross needs "experimentalDecorators": true ` +
        'in the tsconfig that compiles this file (check that the file is in its "include").',
    )
  }
}
