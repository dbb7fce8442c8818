// The sandbox's error: the engine, image or container machinery failed (never the sandboxed code itself).
export class SandboxError extends Error {
  readonly code = 'sandbox';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxError';
  }
}
