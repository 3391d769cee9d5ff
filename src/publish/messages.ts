/** Template values for commit messages and PR titles/bodies, from the updates and the plan. */
import type { FileEdit } from '../edit/plan.js'
import type { ImageUpdate } from '../edit/types.js'
import { renderTemplate, type TemplateValues } from '../report/template.js'
import type { Settings } from '../settings.js'
import { previousTagOf } from './changes.js'

/** The last path component of a repository: `ghcr.io/acme/api` → `api`. */
export function shortName(image: string): string {
  return image.slice(image.lastIndexOf('/') + 1)
}

function joined(values: readonly (string | undefined)[]): string {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))].join(', ')
}

export function templateValues(
  settings: Settings,
  updates: readonly ImageUpdate[],
  changes: readonly FileEdit[]
): TemplateValues {
  return {
    image: joined(updates.map(u => u.image)),
    name: joined(updates.map(u => shortName(u.image))),
    tag: joined(updates.map(u => u.tag ?? u.digest)),
    digest: joined(updates.map(u => u.digest)),
    previous: previousTagOf(changes),
    files: changes.map(c => c.path).join(', '),
    'source-repo': settings.source.repo,
    'source-sha': settings.source.sha,
    'run-url': settings.source.runUrl
  }
}

export function commitMessage(settings: Settings, values: TemplateValues): string {
  // Lines of the default body with nothing to say (no source commit, no run) are dropped.
  return renderTemplate(settings.commitMessage, values)
    .split('\n')
    .filter(line => !/^(Source: @?|Run: )$/.test(line))
    .join('\n')
    .trimEnd()
}
