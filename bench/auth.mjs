// What @Authenticate costs, paired: bench/apps/auth-off.ts and auth-on.ts (the same app, one
// with @Authenticate) are bundled as bench/build.mjs bundles every measured app, then started
// cold in alternation, so the machine's load slows both alike and the ratio holds.
//
//   node bench/auth.mjs [--runs 15]
//
// Three cold starts per run: the app without auth, the app with auth answering a route without
// auth (what having authenticated routes costs the others), and the app with auth answering an
// authenticated route with a valid x-amzn-oidc-data (loading the verifier and verifying once).

import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { bundle } from './build.mjs'
import { coldStartOnce } from './cold-start.mjs'
import { albEvent } from '../dist/testing.js'
import { createSigningKeys, mintOidcData } from '../dist/auth/mint.js'

const BENCH = path.dirname(fileURLToPath(import.meta.url))
const OUT = path.join(BENCH, '.build', 'auth')
const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } })
const runs = Number(values.runs)

const off = await bundle(path.join(BENCH, 'apps/auth-off.ts'), path.join(OUT, 'auth-off.mjs'))
const on = await bundle(path.join(BENCH, 'apps/auth-on.ts'), path.join(OUT, 'auth-on.mjs'))

const keys = createSigningKeys()
process.env['ALBATROSS_BENCH_ALB_PEM'] = keys.ecPublicPem
const token = mintOidcData(keys, {
  signer: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/bench/0123456789abcdef',
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Bench1234',
  client: 'bench-client',
  claims: { sub: 'alice', email: 'alice@example.com' },
})
const health = albEvent({ path: '/health' })
const plain = albEvent({ path: '/orders/7' })
const signed = albEvent({ path: '/orders/7', headers: { 'x-amzn-oidc-data': token } })

const samples = { off: [], onPlain: [], onSigned: [] }
for (let i = 0; i < runs; i++) {
  const a = coldStartOnce(off.outfile, plain)
  const b = coldStartOnce(on.outfile, health)
  const c = coldStartOnce(on.outfile, signed)
  if (a.status !== 200 || b.status !== 200 || c.status !== 200) throw new Error(`unexpected status ${a.status} ${b.status} ${c.status}`)
  samples.off.push(a)
  samples.onPlain.push(b)
  samples.onSigned.push(c)
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]
const row = (name, list) => {
  const wall = median(list.map((s) => s.wallMs))
  const inProcess = median(list.map((s) => s.inProcessMs))
  return { name, wall, inProcess }
}
const rows = [row('without @Authenticate', samples.off), row('with, route without auth', samples.onPlain), row('with, authenticated route', samples.onSigned)]
const base = rows[0]
const kb = (n) => `${(n / 1024).toFixed(1)} KB`
console.log(`bundle (minified, esbuild):  without ${kb(off.bytes)} (${kb(off.gzipBytes)} gz)  with ${kb(on.bytes)} (${kb(on.gzipBytes)} gz)  +${kb(on.bytes - off.bytes)}`)
const jwt = on.composition.find((c) => c.part === 'aws-jwt-verify')
console.log(`  aws-jwt-verify in the bundle with auth: ${jwt ? kb(jwt.bytes) : 'absent'}; without: ${off.composition.some((c) => c.part === 'aws-jwt-verify') ? 'PRESENT' : 'absent'}`)
console.log(`cold start, median of ${runs} paired runs (wall = spawn to exit; in-process = import() to first answer):`)
for (const r of rows) {
  console.log(`  ${r.name.padEnd(28)} wall ${r.wall.toFixed(1)} ms (×${(r.wall / base.wall).toFixed(3)})  in-process ${r.inProcess.toFixed(1)} ms (×${(r.inProcess / base.inProcess).toFixed(3)})`)
}
