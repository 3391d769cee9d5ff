/** The Argo CD phase's result per application, as the report (outputs, summary) reads it. */

export interface AppOutcome {
  /** As the user named it: `name` or `namespace/name`. */
  readonly app: string
  /** Argo CD's `status.sync.status` (`Synced`, `OutOfSync`, …); `Requested` when not waited for. */
  readonly syncStatus: string
  /** Argo CD's `status.health.status` (`Healthy`, `Degraded`, …); `Unknown` when never read. */
  readonly healthStatus: string
  /** `status.sync.revision` last seen; the requested commit when not waited for. */
  readonly revision: string
  /** Why the application failed, or a note when it was not waited for; absent on success. */
  readonly message?: string
}
