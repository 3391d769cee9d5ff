/**
 * Message templates (`commit-message`, `pr-title`, `pr-body`): `{placeholder}` substitution.
 * Unknown placeholders are left as written so a literal `{x}` in a message survives.
 */

export interface TemplateValues {
  readonly image: string
  readonly name: string
  readonly tag: string
  readonly digest: string
  readonly previous: string
  readonly files: string
  readonly 'source-repo': string
  readonly 'source-sha': string
  readonly 'run-url': string
}

export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(/\{([a-z-]+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as keyof TemplateValues] : whole
  )
}
