/**
 * Injected failures: the next matching requests are delayed, answered with a chosen status
 * (and body/headers, e.g. `retry-after`), or have their socket destroyed. Faults are
 * consumed in the order they were added.
 */

/**
 * @typedef {object} FaultSpec
 * @property {string} [method]
 * @property {string | RegExp} [path] decoded path (without /api/v3) or OpenAPI template, or a RegExp on the path
 * @property {number} [status] answer with this status instead of the real handler
 * @property {number} [times] how many matching requests it applies to (default 1)
 * @property {unknown} [body] JSON body of the injected answer (default `{ message }` for the status)
 * @property {Record<string, string>} [headers]
 * @property {number} [delayMs] wait before answering (alone: a slow but otherwise normal answer)
 * @property {boolean} [drop] destroy the socket without an answer
 */
/** @typedef {FaultSpec & { remaining: number }} Fault */

export class Faults {
  constructor() {
    /** @type {Fault[]} */
    this.list = []
  }

  /** @param {FaultSpec} spec */
  add(spec) {
    const times = spec.times ?? 1
    if (!Number.isInteger(times) || times < 1)
      throw new Error(`GitHub double: fault times must be a positive integer, got ${times}`)
    if (spec.status === undefined && !spec.drop && spec.delayMs === undefined) {
      throw new Error('GitHub double: a fault needs a status, drop: true or delayMs')
    }
    this.list.push({ ...spec, remaining: times })
  }

  /** Faults not yet used up. */
  pending() {
    return this.list.reduce((sum, fault) => sum + fault.remaining, 0)
  }

  clear() {
    this.list.length = 0
  }

  /**
   * Take the first fault matching this request, if any.
   * @param {string} method @param {string} path @param {string | undefined} template
   * @returns {FaultSpec | undefined}
   */
  take(method, path, template) {
    const fault = this.list.find(f => f.remaining > 0 && applies(f, method, path, template))
    if (!fault) return undefined
    fault.remaining--
    return fault
  }
}

/** @param {FaultSpec} fault @param {string} method @param {string} path @param {string | undefined} template */
function applies(fault, method, path, template) {
  if (fault.method !== undefined && fault.method.toUpperCase() !== method) return false
  if (fault.path === undefined) return true
  if (fault.path instanceof RegExp) return fault.path.test(path)
  return fault.path === path || fault.path === template
}
