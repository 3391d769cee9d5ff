/** Where the Argo CD phase writes progress; the shell passes @actions/core's functions. */
export interface Logger {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
}
