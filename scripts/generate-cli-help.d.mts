/** Types of generate-cli-help.mjs for the TypeScript test that checks its output is checked in. */
export declare const TARGET: string
export declare function renderActionInputs(actionYml: string, packageJson: string): Promise<string>
