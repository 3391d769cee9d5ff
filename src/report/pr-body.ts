/**
 * The default promotion PR body: a table of file / image / old → new, the source commit and
 * run, and a hidden marker by which the action recognises its own pull requests.
 */
import type { FileEdit } from '../edit/plan.js'
import type { Settings } from '../settings.js'

export const PR_MARKER = '<!-- gitops-handoff -->'

/** Escape text for a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ')
}

export function code(text: string): string {
  return text === '' ? '—' : `\`${cell(text).replace(/`/g, "'")}\``
}

export function changeRows(changes: readonly FileEdit[]): string[] {
  const rows = ['| File | Image | Old | New |', '| --- | --- | --- | --- |']
  for (const change of changes) {
    for (const edit of change.edits) {
      rows.push(
        `| ${code(change.path)} | ${code(edit.image)} | ${code(edit.before)} | ${code(edit.after)} |`
      )
    }
  }
  return rows
}

export function defaultPrBody(
  settings: Settings,
  changes: readonly FileEdit[],
  promotedFrom?: string
): string {
  const lines = [
    `Deploys to \`${settings.repo.owner}/${settings.repo.repo}\`:`,
    '',
    ...changeRows(changes),
    ''
  ]
  if (promotedFrom) lines.push(`Promoted from \`${promotedFrom}\`.`, '')
  const { repo, sha, runUrl } = settings.source
  if (repo && sha) lines.push(`Source: ${settings.serverUrl}/${repo}/commit/${sha}`)
  if (runUrl) lines.push(`Run: ${runUrl}`)
  lines.push('', PR_MARKER)
  return lines.join('\n')
}
