// The results as markdown: one table per figure, each row's ratio against every other handler
// measured in the same run (ratio = row ÷ column).

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–')
const ms = (n) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : '–')
const mb = (n) => (Number.isFinite(n) ? (n / 1048576).toFixed(1) : '–')
const times = (n) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '–')

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`]
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`)
  return lines.join('\n')
}

const spread = (s, fmt) => (s && s.n > 0 ? `${fmt(s.min)}–${fmt(s.max)}` : '–')

/** Rows = names; value columns from `cells(name)`; then ×column for every other name. */
function withRatios(names, valueHeader, cells, summaries) {
  const header = ['handler', ...valueHeader, ...names.map((n) => `× ${n}`)]
  const rows = names.map((row) => [
    `**${row}**`,
    ...cells(row),
    ...names.map((col) => {
      if (row === col) return '1.00×'
      const a = summaries[row]
      const b = summaries[col]
      return a && b && b.median ? times(a.median / b.median) : '–'
    }),
  ])
  return table(header, rows)
}

export function markdown(results) {
  const out = []
  const { config, apps } = results
  const main = results.mainApps.filter((n) => apps[n]?.throughput)
  out.push(`# albatross benchmark${config.quick ? ' (quick mode: smoke test, figures not meaningful)' : ''}`)
  out.push('')
  out.push(
    `${results.date} · Node ${results.node} · ${results.cpu.model} × ${results.cpu.count} · ` +
      `${results.workload.routes} routes, ${results.workload.events} ALB events (seed ${results.seed}, ` +
      `${(results.workload.notFoundShare * 100).toFixed(1)}% 404s, ${results.workload.headers.min}–${results.workload.headers.max} headers) · ` +
      `${config.rounds} rounds × ${config.durationMs} ms (after ${config.warmupMs} ms warm-up), shuffled · ` +
      `cold start ${config.coldRuns} runs each`,
  )
  const busy = Math.max(results.load.start, results.load.end) > results.cpu.count * 0.75
  out.push(
    '',
    `Load average (1 min) ${results.load.start.toFixed(2)} at start, ${results.load.end.toFixed(2)} at the end on ${results.cpu.count} cores` +
      (busy ? ': other processes competed for the CPU, so wall-clock figures are noisy; the CPU-time column is steadier.' : '.'),
  )
  for (const note of results.notes) out.push('', `> ${note}`)

  out.push('', '## Correctness', '')
  out.push(
    table(
      ['handler', 'event set', 'answers checked', 'wrong', 'answers in the event\'s header mode'],
      Object.entries(apps).flatMap(([name, app]) =>
        Object.entries(app.verify ?? {}).map(([set, v]) => [
          name,
          set,
          int(v.checked),
          v.failed === 0 ? '0' : `**${v.failed}**`,
          v.modeMirrored === v.checked ? 'yes' : `${int(v.modeMirrored)} of ${int(v.checked)}`,
        ]),
      ),
    ),
  )

  for (const mode of ['single', 'multi']) {
    const label = mode === 'single' ? 'single-value headers' : 'multi-value headers'
    const summaries = Object.fromEntries(main.map((n) => [n, apps[n].throughput[mode]]))
    out.push('', `## Throughput, ${label} (ops/s by wall clock, higher is better; ratios of the wall-clock medians)`, '')
    out.push(
      withRatios(
        main,
        ['median', 'min–max', 'per CPU-second'],
        (n) => [int(summaries[n]?.median), spread(summaries[n], int), int(apps[n].throughput[`${mode}Cpu`]?.median)],
        summaries,
      ),
    )
  }

  const cold = results.coldApps.filter((n) => apps[n]?.cold)
  if (cold.length > 0) {
    const proc = Object.fromEntries(cold.map((n) => [n, apps[n].cold.processNetMs]))
    const inproc = Object.fromEntries(cold.map((n) => [n, apps[n].cold.inProcessMs]))
    out.push('', `## Cold start, whole process net of \`node -e 0\` (ms, lower is better; \`node -e 0\` median ${ms(results.nodeFloorMs.median)} ms)`, '')
    out.push(withRatios(cold, ['median', 'min–max'], (n) => [ms(proc[n].median), spread(proc[n], ms)], proc))
    const cpu = Object.fromEntries(cold.map((n) => [n, apps[n].cold.processCpuNetMs]))
    if (cold.every((n) => cpu[n])) {
      const floor = results.nodeFloorCpuMs?.median
      out.push('', `## Cold start, whole-process CPU time net of \`node -e 0\` (ms, every thread; lower is better; \`node -e 0\` median ${ms(floor)} ms)`, '')
      out.push(withRatios(cold, ['median', 'min–max'], (n) => [ms(cpu[n].median), spread(cpu[n], ms)], cpu))
    }
    out.push('', '## Cold start in process: `import()` of the bundle + first invoke (ms, lower is better)', '')
    out.push(withRatios(cold, ['median', 'min–max'], (n) => [ms(inproc[n].median), spread(inproc[n], ms)], inproc))
  }

  const sized = results.sizeApps.filter((n) => apps[n]?.bundle)
  if (sized.length > 0) {
    const min = Object.fromEntries(sized.map((n) => [n, { median: apps[n].bundle.bytes }]))
    out.push('', '## Bundle size (bytes, esbuild minified; gzip level 6)', '')
    out.push(withRatios(sized, ['minified', 'gzip'], (n) => [int(apps[n].bundle.bytes), int(apps[n].bundle.gzipBytes)], min))
  }

  const composed = ['albatross', 'albatross-table', 'albatross-compiled', 'albatross-dto', 'albatross-dto-table', 'albatross-dto-compiled'].filter((n) => apps[n]?.bundle?.composition)
  if (composed.length > 0) {
    const parts = apps[composed[0]].bundle.composition.slice(0, 10).map((p) => p.part)
    out.push('', `## What the albatross bundles are made of (minified bytes, largest ${parts.length})`, '')
    out.push(
      table(
        ['part', ...composed],
        parts.map((part) => [part, ...composed.map((n) => int(apps[n].bundle.composition.find((p) => p.part === part)?.bytes ?? 0))]),
      ),
    )
  }

  // Heap after the same number of invocations is the comparison; the throughput loop's figures
  // come after a fixed time, in which a faster handler answers more requests.
  const withMemory = results.mainApps.filter((n) => apps[n]?.memory?.afterInvocations?.length > 0)
  if (withMemory.length > 0) {
    const counts = apps[withMemory[0]].memory.afterInvocations.map((m) => m.invocations)
    const heapAt = (n, count) => apps[n].memory.afterInvocations.find((m) => m.invocations === count)?.heapUsed
    const first = Object.fromEntries(withMemory.map((n) => [n, heapAt(n, counts[0])]))
    const mb2 = (n) => (Number.isFinite(n) ? (n / 1048576).toFixed(2) : '–')
    const runs = [config.memoryRuns].flat()
    const processes = runs.every((r) => r === runs[0])
      ? `${runs[0]} process${runs[0] === 1 ? '' : 'es'} each`
      : `processes each: ${counts.map((c, i) => `${runs[i]} after ${int(c)}`).join(', ')}`
    out.push(
      '',
      `## Memory: heap used after the same single-value invocations and a full GC (MB, lower is better; ${processes}; ratios after ${int(counts[0])})`,
      '',
    )
    out.push(
      withRatios(
        withMemory,
        [...counts.map((c) => `after ${int(c)}: median (min–max)`), 'after the timed loop', 'RSS after the timed loop'],
        (n) => {
          const timed = apps[n].memory.single
          return [
            ...counts.map((c) => {
              const h = heapAt(n, c)
              return h ? `${mb2(h.median)} (${spread(h, mb2)})` : '–'
            }),
            timed ? `${mb(timed.heapUsed.median)} (${spread(timed.heapUsed, mb)})` : '–',
            timed ? `${mb(timed.rss.median)} (${spread(timed.rss, mb)})` : '–',
          ]
        },
        first,
      ),
    )
  }

  for (const [key, label] of [
    ['scaling', 'albatross by number of routes, glob paths (`/users/*`)'],
    ['regexScaling', 'albatross by number of routes, RegExp paths (`/^\\/users\\/(?<id>[^\\/]+)$/`)'],
    ['noRouterScaling', 'no router at all, the same events and handler work (`oracle-r…`, the reference)'],
  ]) {
    if (!(results[key]?.length > 0)) continue
    out.push('', `## Scaling: ${label} (ops/s by wall clock; per CPU-second in brackets)`, '')
    out.push(
      table(
        ['routes', 'single: median (min–max)', '× 10 routes', 'multi: median (min–max)', '× 10 routes'],
        results[key].map((s) => [
          String(s.routes),
          `${int(s.single?.median)} (${spread(s.single, int)}) [${int(s.singleCpu?.median)}]`,
          `${times(s.singleVs10)} [${times(s.singleCpuVs10)}]`,
          `${int(s.multi?.median)} (${spread(s.multi, int)}) [${int(s.multiCpu?.median)}]`,
          `${times(s.multiVs10)} [${times(s.multiCpuVs10)}]`,
        ]),
      ),
    )
  }

  if (results.dto) {
    const d = results.dto
    out.push('', `## Validated DTO route vs the same route with scalar parameters (\`${d.route}\`; ops/s by wall clock, per CPU-second in brackets)`, '')
    const cell = (t, mode) => `${int(t[mode]?.median)} (${spread(t[mode], int)}) [${int(t[`${mode}Cpu`]?.median)}]`
    out.push(
      table(
        ['variant', 'single: median (min–max)', 'multi: median (min–max)'],
        [
          ['scalar @Param/@Query/@Body', cell(d.scalar, 'single'), cell(d.scalar, 'multi')],
          ['class-validator DTOs (query + body)', cell(d.dto, 'single'), cell(d.dto, 'multi')],
          ['DTO ÷ scalar', `${times(d.singleRatio)} [${times(d.singleCpuRatio)}]`, `${times(d.multiRatio)} [${times(d.multiCpuRatio)}]`],
        ],
      ),
    )
  }

  if (results.targets?.length > 0) {
    out.push('', '## Targets (albatross)', '')
    out.push(
      table(
        ['target', 'goal', 'measured', 'met'],
        results.targets.map((t) => [t.name, t.goal, t.measured, t.met === null ? '–' : t.met ? 'yes' : '**no**']),
      ),
    )
  }
  out.push('')
  return out.join('\n')
}
