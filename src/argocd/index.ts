/** The optional Argo CD phase: what the shell imports. */

export { syncAndWait, ArgoPhaseError } from './sync-and-wait.js'
export type { AppOutcome } from './types.js'
export {
  parseArgoInputs,
  ArgoInput,
  ARGO_DEFAULTS,
  MAX_TIMEOUT_SECONDS,
  type ArgoSettings,
  type ArgoInputs,
  type ArgoInputsResult
} from './settings.js'
export { systemClock, type Clock } from './clock.js'
export type { Logger } from './logger.js'
