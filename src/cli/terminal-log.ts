/**
 * The Logger port on a terminal: progress goes to stderr (stdout holds the report, so it can be
 * piped), one bold line per phase, warnings and notices marked, debug lines (API traffic) only
 * with --verbose. Every line is made visible (control characters) and redacted (secrets).
 */
import type { Logger } from '../log.js'
import { visible, type Paint, type StyleFormat } from './style.js'

/** Where text goes: process.stdout / process.stderr, or a buffer in tests. */
export interface TextSink {
  write(text: string): unknown
  readonly isTTY?: boolean
}

/** Prints whole lines, safely: untrusted text made visible, secrets masked, then coloured. */
export interface Printer {
  line(text: string, format?: StyleFormat): void
  /** Pre-styled text (already made visible by the caller), still redacted. */
  raw(text: string): void
  readonly paint: Paint
}

export function printer(sink: TextSink, paint: Paint, redact: (text: string) => string): Printer {
  return {
    paint,
    line: (text, format) => {
      const safe = visible(redact(text))
      sink.write(`${format ? paint(format, safe) : safe}\n`)
    },
    raw: text => void sink.write(`${redact(text)}\n`)
  }
}

export function terminalLogger(out: Printer, options: { verbose: boolean }): Logger {
  const tagged = (tag: string, format: StyleFormat) => (message: string) => {
    const [first, ...rest] = message.split('\n')
    out.raw(`${out.paint(format, tag)} ${visible(first)}`)
    for (const line of rest) out.line(`  ${line}`)
  }
  return {
    info: message => out.line(message),
    notice: tagged('notice:', 'cyan'),
    warning: tagged('warning:', 'yellow'),
    debug: message => {
      if (options.verbose) out.line(message, 'dim')
    },
    group: async (name, fn) => {
      out.line(`▸ ${name}`, 'bold')
      return fn()
    }
  }
}
