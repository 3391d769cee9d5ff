/**
 * Reading raw inputs while collecting every problem: each failure names the input, quotes
 * the value and says what is valid. Used by Settings; knows nothing of what inputs mean.
 */
import { HandoffError, quote } from './errors.js'
import type { InputName } from './constants.js'

/** Raw input values by name ('' when not given), as the runner or the CLI supplies them. */
export type InputSource = (name: InputName) => string

/** Collects errors while reading inputs. */
export class InputReader {
  readonly errors: HandoffError[] = []
  constructor(private readonly source: InputSource) {}

  raw(name: InputName): string {
    return this.source(name).trim()
  }

  fail(name: InputName, value: string, problem: string, hint: string): undefined {
    const shown = value === '' ? '' : ` ${quote(value)}`
    this.errors.push(
      new HandoffError('INVALID_INPUT', `Input "${name}"${shown}: ${problem}`, {
        input: name,
        hint
      })
    )
    return undefined
  }

  add(error: HandoffError): void {
    this.errors.push(error)
  }

  boolean(name: InputName, fallback: boolean): boolean {
    const value = this.raw(name)
    if (value === '') return fallback
    if (/^(true|yes|on)$/i.test(value)) return true
    if (/^(false|no|off)$/i.test(value)) return false
    this.fail(name, value, 'is not a boolean', 'Use "true" or "false".')
    return fallback
  }

  optionalBoolean(name: InputName): boolean | undefined {
    return this.raw(name) === '' ? undefined : this.boolean(name, false)
  }

  choice<T extends string>(name: InputName, choices: readonly T[], fallback: T): T {
    const value = this.raw(name)
    if (value === '') return fallback
    if ((choices as readonly string[]).includes(value)) return value as T
    this.fail(name, value, 'is not a valid choice', `Use one of: ${choices.join(', ')}.`)
    return fallback
  }

  list(name: InputName): string[] {
    return splitList(this.source(name))
  }

  /** A single-line text value: control characters (newlines included) are refused. */
  line(name: InputName): string | undefined {
    const value = this.raw(name)
    if (value === '') return undefined
    if (/[\u0000-\u001f\u007f]/.test(value)) {
      return this.fail(
        name,
        value,
        'contains control characters or a line break',
        'Give a single-line value.'
      )
    }
    return value
  }
}

/**
 * Comma- or newline-separated list, trimmed, empty items dropped. A comma inside braces
 * belongs to a glob's alternatives (`apps/{api,web}/values.yaml`), not to the list.
 */
export function splitList(value: string): string[] {
  const items: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i <= value.length; i++) {
    const char = value[i]
    if (char === '{') depth += 1
    else if (char === '}') depth = Math.max(0, depth - 1)
    else if (char === undefined || char === '\n' || (char === ',' && depth === 0)) {
      items.push(value.slice(start, i).trim())
      start = i + 1
      if (char === '\n') depth = 0
    }
  }
  return items.filter(item => item !== '')
}
