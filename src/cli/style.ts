/**
 * Terminal text: whether to colour (NO_COLOR, FORCE_COLOR, a TTY), colouring with
 * util.styleText, and making untrusted text harmless. Manifest bytes and API messages reach the
 * terminal; an escape sequence in them must not move the cursor, rewrite the title or hide
 * lines, so control characters are shown as their Unicode control pictures.
 */
import * as util from 'node:util'

export type StyleFormat = Parameters<typeof util.styleText>[0]

/** Colours text, or returns it unchanged when colour is off. */
export type Paint = (format: StyleFormat, text: string) => string

/** https://no-color.org: NO_COLOR set and non-empty wins; FORCE_COLOR forces; else a TTY. */
export function colourEnabled(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false'
  return isTTY && env.TERM !== 'dumb'
}

// Node 22.13+ would check process.stdout itself unless told not to; the decision is ours
// (colourEnabled, per stream). Node 20 takes two arguments and ignores the third.
type StyleTextWithOptions = (
  format: StyleFormat,
  text: string,
  options?: { validateStream?: boolean }
) => string

export function painter(enabled: boolean): Paint {
  const styleText = util.styleText as StyleTextWithOptions | undefined
  // styleText arrived in Node 20.12; older Node 20 prints plain text.
  if (!enabled || typeof styleText !== 'function') return (_format, text) => text
  return (format, text) => styleText(format, text, { validateStream: false })
}

/** Control characters other than tab and newline, shown as visible symbols. */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, char => {
    const code = char.charCodeAt(0)
    if (code < 0x20) return String.fromCharCode(0x2400 + code)
    if (code === 0x7f) return '\u2421'
    return `\\u${code.toString(16).padStart(4, '0')}`
  })
}

/** A unified diff, line by line: headers bold, removals red, additions green, hunks cyan. */
export function colourDiff(diff: string, paint: Paint): string {
  return diff
    .split('\n')
    .map(raw => {
      const line = visible(raw)
      if (/^(={3,}|\\ )/.test(line)) return paint('dim', line)
      if (/^(---|\+\+\+) /.test(line)) return paint('bold', line)
      if (line.startsWith('@@')) return paint('cyan', line)
      if (line.startsWith('+')) return paint('green', line)
      if (line.startsWith('-')) return paint('red', line)
      return line
    })
    .join('\n')
}

/**
 * The job summary's Markdown for a terminal: headings bold, links as `text <url>`, HTML block
 * lines (`<details>…`, comments) dropped, and fenced diff blocks left out (the CLI prints the diffs itself, coloured).
 */
export function terminalMarkdown(markdown: string, paint: Paint): string {
  const out: string[] = []
  let inDiff = false
  for (const raw of markdown.split('\n')) {
    const line = visible(raw)
    if (inDiff) {
      if (line.trim() === '```') inDiff = false
      continue
    }
    if (/^```diff\s*$/.test(line.trim())) inDiff = true
    else if (/^\s*<[!/a-z].*>\s*$/i.test(line)) continue
    else if (/^#{1,6} /.test(line)) out.push(paint('bold', line.replace(/^#{1,6} /, '')))
    else out.push(line.replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, '$1 <$2>'))
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
