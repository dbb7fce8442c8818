// The Python bootstrap both sandboxes run: it reads a JSON payload from stdin, writes the files, then execs the code.
import { SandboxError } from '../core/errors.js';
import type { ExecRequest } from '../core/sandbox.js';

// Runs as `python3 -B -u -c BOOT`. Every stdlib import happens before the files are written, so a file
// named json.py in the request cannot shadow them. The code runs in __main__'s namespace with the
// bootstrap removed from it; its source is registered with linecache so tracebacks show the lines, and
// the bootstrap's own frame is cut from them.
export const BOOT = `
def _cardeval_boot():
    import json, linecache, os, sys, traceback
    payload = json.loads(sys.stdin.buffer.read())
    limit = payload.get("rlimit_as")
    if limit:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    for name, text in payload["files"].items():
        folder = os.path.dirname(name)
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(name, "w", encoding="utf-8") as f:
            f.write(text)
    code = payload["code"]
    linecache.cache["<cardeval>"] = (len(code), None, code.splitlines(True), "<cardeval>")
    main = sys.modules["__main__"].__dict__
    del main["_cardeval_boot"]
    try:
        exec(compile(code, "<cardeval>", "exec"), main)
    except SystemExit:
        raise
    except BaseException as e:
        traceback.print_exception(type(e), e, e.__traceback__.tb_next)
        sys.exit(1)
_cardeval_boot()
`;

export const PYTHON_ARGS = ['-B', '-u', '-c', BOOT];

/** Checks the request and serialises it for the bootstrap's stdin. */
export function buildPayload(req: ExecRequest, extra: { rlimitAs?: number } = {}): Buffer {
  if (typeof req.code !== 'string') throw new SandboxError('runPython: code must be a string');
  const files = req.files ?? {};
  for (const [name, text] of Object.entries(files)) {
    checkRelativePath(name);
    if (typeof text !== 'string') throw new SandboxError(`runPython: file ${JSON.stringify(name)} must be text`);
  }
  const payload: Record<string, unknown> = { code: req.code, files };
  if (extra.rlimitAs) payload.rlimit_as = extra.rlimitAs;
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

function checkRelativePath(name: string): void {
  const parts = name.split('/');
  const bad =
    name === '' ||
    name.includes('\0') ||
    name.includes('\\') ||
    name.startsWith('/') ||
    name.endsWith('/') ||
    parts.some((part) => part === '' || part === '.' || part === '..');
  if (bad) throw new SandboxError(`runPython: file path ${JSON.stringify(name)} must be relative, without '.', '..' or empty parts`);
}
