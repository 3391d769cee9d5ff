/** Input and output names: public API, kebab-case, as in action.yml. */

export const Inputs = {
  Image: 'image',
  Images: 'images',
  Tag: 'tag',
  Digest: 'digest',
  ManifestRepo: 'manifest-repo',
  Path: 'path',
  Format: 'format',
  Key: 'key',
  Mode: 'mode',
  Branch: 'branch',
  Token: 'token',
  CommitMessage: 'commit-message',
  PromoteFrom: 'promote-from',
  PrBranch: 'pr-branch',
  PrTitle: 'pr-title',
  PrBody: 'pr-body',
  PrLabels: 'pr-labels',
  PrReviewers: 'pr-reviewers',
  PrTeamReviewers: 'pr-team-reviewers',
  PrAssignees: 'pr-assignees',
  PrDraft: 'pr-draft',
  AutoMerge: 'auto-merge',
  OnlyNewer: 'only-newer',
  AllowLatest: 'allow-latest',
  CreateMissing: 'create-missing',
  DryRun: 'dry-run',
  MaxAttempts: 'max-attempts',
  ArgocdServer: 'argocd-server',
  ArgocdToken: 'argocd-token',
  ArgocdApp: 'argocd-app',
  ArgocdWait: 'argocd-wait',
  ArgocdTimeout: 'argocd-timeout',
  ArgocdInsecure: 'argocd-insecure'
} as const

export type InputName = (typeof Inputs)[keyof typeof Inputs]

export const Outputs = {
  CommitSha: 'commit-sha',
  Changed: 'changed',
  PreviousTag: 'previous-tag',
  Files: 'files',
  PrNumber: 'pr-number',
  PrUrl: 'pr-url',
  PrOperation: 'pr-operation',
  Branch: 'branch',
  ArgocdSyncStatus: 'argocd-sync-status',
  ArgocdHealthStatus: 'argocd-health-status'
} as const

export type OutputName = (typeof Outputs)[keyof typeof Outputs]
