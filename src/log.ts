/**
 * The logging port the core writes to. The action maps it to @actions/core (groups, annotations);
 * the CLI to the terminal; tests to an array.
 */
export interface Logger {
  info(message: string): void
  notice(message: string): void
  warning(message: string): void
  debug(message: string): void
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/** A logger that remembers everything (tests, and the CLI's quiet mode). */
export function memoryLogger(lines: string[] = []): Logger & { lines: string[] } {
  const push = (kind: string) => (message: string) => void lines.push(`${kind}: ${message}`)
  return {
    lines,
    info: push('info'),
    notice: push('notice'),
    warning: push('warning'),
    debug: push('debug'),
    group: async (name, fn) => {
      lines.push(`group: ${name}`)
      return fn()
    }
  }
}
