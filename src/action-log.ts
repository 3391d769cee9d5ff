/**
 * The Logger port on @actions/core: groups per phase, notices and warnings as annotations,
 * API traffic as debug. Text that came from files or users is printed with workflow commands
 * stopped, so a manifest line such as `::set-output …` cannot act as a command.
 */
import * as core from '@actions/core'
import { randomUUID } from 'node:crypto'
import type { Logger } from './log.js'

export const actionLogger: Logger = {
  info: message => core.info(message),
  notice: message => core.notice(message),
  warning: message => core.warning(message),
  debug: message => core.debug(message),
  group: (name, fn) => core.group(name, fn)
}

/** Print untrusted multi-line text (diffs) with workflow commands disabled around it. */
export function printUntrusted(text: string): void {
  const token = randomUUID()
  core.info(`::stop-commands::${token}`)
  core.info(text)
  core.info(`::${token}::`)
}
