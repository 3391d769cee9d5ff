/** Step outputs, derived from the Result. Names are public API (src/constants.ts). */
import { Outputs, type OutputName } from '../constants.js'
import type { Result } from '../result.js'

export function outputsOf(result: Result): Record<OutputName, string> {
  const argocd = result.argocd ?? []
  return {
    [Outputs.CommitSha]: result.commitSha,
    [Outputs.Changed]: String(result.changed),
    [Outputs.PreviousTag]: result.previousTag,
    [Outputs.Files]: result.files.map(f => f.path).join('\n'),
    [Outputs.PrNumber]: result.pullRequest ? String(result.pullRequest.number) : '',
    [Outputs.PrUrl]: result.pullRequest?.url ?? '',
    [Outputs.PrOperation]: result.pullRequest?.operation ?? '',
    [Outputs.Branch]: result.branch,
    [Outputs.ArgocdSyncStatus]: argocd.map(a => `${a.app}=${a.syncStatus}`).join('\n'),
    [Outputs.ArgocdHealthStatus]: argocd.map(a => `${a.app}=${a.healthStatus}`).join('\n')
  }
}
