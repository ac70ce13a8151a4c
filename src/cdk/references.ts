/**
 * Rewrites the references of a CloudFormation template fragment. The manifest's template names
 * its inputs and resources by logical ID (`{ Ref: X }`, `{ 'Fn::GetAtt': [X, a] }`, `${X}` in
 * `Fn::Sub`); inside a CDK stack those IDs are the construct's own, so each one is replaced by
 * what `lookup` returns for it (a CDK token), and left as it is when `lookup` returns undefined
 * (pseudo parameters such as `AWS::Region`, or IDs the template does not define).
 */
export type ReferenceLookup = (id: string, attribute?: string) => unknown

export function rewriteReferences(value: unknown, lookup: ReferenceLookup): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteReferences(v, lookup))
  if (typeof value !== 'object' || value === null) return value
  const entries = Object.entries(value)
  if (entries.length === 1) {
    const [key, arg] = entries[0] as [string, unknown]
    if (key === 'Ref' && typeof arg === 'string') return lookup(arg) ?? value
    if (key === 'Fn::GetAtt') {
      const [id, attribute] = Array.isArray(arg) ? arg : typeof arg === 'string' ? splitOnce(arg) : []
      if (typeof id === 'string' && typeof attribute === 'string') {
        return lookup(id, attribute) ?? { [key]: rewriteReferences(arg, lookup) }
      }
    }
    if (key === 'Fn::Sub') return { [key]: rewriteSub(arg, lookup) }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, rewriteReferences(v, lookup)]))
}

function splitOnce(text: string): string[] {
  const dot = text.indexOf('.')
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)]
}

/**
 * `${X}` and `${X.Attr}` in a `Fn::Sub` body name logical IDs directly, so each one the lookup
 * knows becomes a variable of the Sub's own map, bound to the rewritten reference. `${!X}` is a
 * literal and stays.
 */
function rewriteSub(arg: unknown, lookup: ReferenceLookup): unknown {
  const [body, given] = Array.isArray(arg) ? arg : [arg, {}]
  if (typeof body !== 'string') return rewriteReferences(arg, lookup)
  const variables: Record<string, unknown> = Object.fromEntries(
    Object.entries((given ?? {}) as Record<string, unknown>).map(([k, v]) => [k, rewriteReferences(v, lookup)]),
  )
  const rewritten = body.replace(/\$\{([^!}][^}]*)\}/g, (whole, name: string) => {
    if (name in variables) return whole
    const [id, attribute] = splitOnce(name) as [string, string | undefined]
    const replacement = lookup(id, attribute)
    if (replacement === undefined) return whole
    const variable = `albatross${name.replace(/[^A-Za-z0-9]/g, '')}`
    variables[variable] = replacement
    return `\${${variable}}`
  })
  return Object.keys(variables).length === 0 ? rewritten : [rewritten, variables]
}
