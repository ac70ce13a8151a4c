/** One fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The info string's first word (`ts`, `sh`, `json`, …), '' when none. */
  readonly lang: string
  readonly code: string
  /** 1-based line of the block's first code line. */
  readonly line: number
  /** The reason given by `<!-- readme-test: skip <reason> -->` on the line before the fence. */
  readonly skip?: string
  /** Names `<!-- readme-test: given A, B -->` says the reader's own code provides. */
  readonly given?: readonly string[]
}

const MARKER = /^<!--\s*readme-test:\s*(skip|given)\b\s*(.*?)\s*-->$/

/** The fenced blocks of `markdown`, in order (``` fences only, as the README uses). */
export function readmeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n')
  const blocks: CodeBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)/.exec(lines[i]!)
    if (open === null) continue
    const start = i + 1
    let end = start
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++
    let before = i - 1
    while (before >= 0 && lines[before]!.trim() === '') before--
    const marker = before >= 0 ? MARKER.exec(lines[before]!.trim()) : null
    blocks.push({
      lang: open[1] ?? '',
      code: lines.slice(start, end).join('\n'),
      line: start + 1,
      ...(marker?.[1] === 'skip' ? { skip: marker[2] ?? '' } : {}),
      ...(marker?.[1] === 'given' ? { given: (marker[2] ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '') } : {}),
    })
    i = end
  }
  return blocks
}
