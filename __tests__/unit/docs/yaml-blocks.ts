/**
 * Fenced ```yaml / ```yml blocks of a Markdown file, with the line each starts on, so every
 * example in the README and docs/ can be parsed and checked like a workflow file.
 */

export interface YamlBlock {
  /** `README.md:42` — where the block's first YAML line is. */
  readonly where: string
  readonly text: string
}

const OPEN = /^( {0,3}|\s*[-*+] |\s*\d+\. |\s+)(`{3,}|~{3,})\s*(yaml|yml)\b.*$/i

export function yamlBlocks(file: string, markdown: string): YamlBlock[] {
  const lines = markdown.split(/\r?\n/)
  const blocks: YamlBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i])
    if (!open) continue
    const indent = lines[i].indexOf(open[2])
    const fence = open[2]
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length; j++) {
      const line = lines[j]
      if (
        line.trim().startsWith(fence[0].repeat(fence.length)) &&
        line.trim().replace(/[`~]/g, '') === ''
      )
        break
      // Content of a block inside a list item is indented like its fence.
      body.push(line.slice(Math.min(indent, line.length - line.trimStart().length)))
    }
    if (j === lines.length) throw new Error(`${file}:${i + 1}: unclosed ${fence} block`)
    blocks.push({ where: `${file}:${i + 2}`, text: body.join('\n') })
    i = j
  }
  return blocks
}
