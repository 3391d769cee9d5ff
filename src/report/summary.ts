/**
 * The job summary (Markdown): what changed, where, and links to the commit, the compare view
 * and the PR; the diff in dry-run. Pure: returns the Markdown; the shell writes it.
 */
import type { Result } from '../result.js'
import { cell, code } from './pr-body.js'

export function summaryOf(result: Result, serverUrl: string): string {
  const repoUrl = `${serverUrl}/${result.repo}`
  const lines = [`## gitops-handoff: ${headline(result)}`, '']
  lines.push(...fileTable(result), '')
  lines.push(...links(result, repoUrl))
  if (result.dryRun && result.files.length > 0) {
    lines.push('', '<details open><summary>Diff (dry run)</summary>', '', '```diff')
    for (const file of result.files) lines.push(file.diff.trimEnd())
    lines.push('```', '', '</details>')
  }
  if (result.argocd && result.argocd.length > 0) {
    lines.push(
      '',
      '| Argo CD application | Sync | Health | Revision |',
      '| --- | --- | --- | --- |'
    )
    for (const app of result.argocd) {
      lines.push(
        `| ${cell(app.app)} | ${cell(app.syncStatus)} | ${cell(app.healthStatus)} | ${code(app.revision.slice(0, 12))} |`
      )
    }
  }
  return lines.join('\n') + '\n'
}

function headline(result: Result): string {
  if (result.dryRun)
    return result.changed ? 'dry run, changes planned' : 'dry run, already up to date'
  if (result.pullRequest) return `pull request ${result.pullRequest.operation}`
  return result.changed ? `committed to \`${result.branch}\`` : 'already up to date'
}

function fileTable(result: Result): string[] {
  if (result.files.length === 0 && result.skipped?.length) {
    return [
      'Nothing written: `only-newer` kept the current images.',
      '',
      ...result.skipped.map(note => `- ${cell(note)}`)
    ]
  }
  if (result.files.length === 0)
    return ['No file changes: the manifests already hold the requested images.']
  const rows = ['| File | Line | Image | Old → New |', '| --- | --- | --- | --- |']
  for (const file of result.files) {
    for (const edit of file.edits) {
      rows.push(
        `| ${code(file.path)} | ${edit.line} | ${code(edit.image)} | ${code(edit.before)} → ${code(edit.after)} |`
      )
    }
  }
  return rows
}

function links(result: Result, repoUrl: string): string[] {
  const out: string[] = []
  if (result.commitSha)
    out.push(
      `- Commit: [\`${result.commitSha.slice(0, 12)}\`](${repoUrl}/commit/${result.commitSha}) on \`${result.branch}\``
    )
  if (result.changed && result.commitSha && result.baseSha) {
    out.push(
      `- Compare: ${repoUrl}/compare/${result.baseSha.slice(0, 12)}...${result.commitSha.slice(0, 12)}`
    )
  }
  if (result.pullRequest)
    out.push(
      `- Pull request: [#${result.pullRequest.number}](${result.pullRequest.url}) (${result.pullRequest.operation})`
    )
  if (result.attempts > 1)
    out.push(
      `- Attempts: ${result.attempts} (the branch moved under us and the edit was re-applied)`
    )
  return out
}
