/**
 * GitHub's error bodies: `{ message, documentation_url, status }`, and for validation
 * failures `{ message: 'Validation Failed', errors: [...] }`. Routes throw ApiError; the
 * server renders it.
 */

const DOCS = 'https://docs.github.com/rest'
export const PROTECTED_BRANCH_DOCS = 'https://docs.github.com/articles/about-protected-branches'

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {{ errors?: object[], documentationUrl?: string }} [extra]
   */
  constructor(status, message, extra = {}) {
    super(message)
    this.status = status
    this.errors = extra.errors
    this.documentationUrl = extra.documentationUrl ?? DOCS
  }

  body() {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: this.documentationUrl,
      status: String(this.status)
    }
  }
}

export const notFound = (message = 'Not Found') => new ApiError(404, message)

/** @param {object[]} errors */
export const validationFailed = errors => new ApiError(422, 'Validation Failed', { errors })

/** GitHub's wording for a missing or mistyped body field. @param {string} field */
export const invalidRequest = field =>
  new ApiError(422, `Invalid request.\n\n"${field}" wasn't supplied.`)

/** @param {number} status */
export function statusText(status) {
  /** @type {Record<number, string>} */
  const texts = {
    400: 'Bad Request',
    401: 'Bad credentials',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    422: 'Validation Failed',
    429: 'Too Many Requests',
    500: 'Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout'
  }
  return texts[status] ?? `HTTP ${status}`
}
