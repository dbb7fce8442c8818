/** Whether the compiled CLI in dist/ exists and was built after every TypeScript source last changed. */
export function buildIsFresh(): boolean;
