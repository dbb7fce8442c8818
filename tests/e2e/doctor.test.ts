import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cleanEnv } from './cli.js';

describe('cardeval doctor', () => {
  it('reports a missing Docker engine as a warning, not a broken install, and never prints a key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cardeval-doctor-'));
    try {
      const env = cleanEnv({ DOCKER_HOST: `unix://${join(dir, 'none.sock')}`, OPENAI_API_KEY: 'sk-doctor-secret-value-123456' });
      const out = await cli(['doctor', '--json', '--db', join(dir, 'db.sqlite')], env);
      expect(out.code, out.stderr).toBe(0);
      const report = JSON.parse(out.stdout);
      const engine = report.checks.find((c: any) => c.name === 'docker engine');
      expect(engine).toMatchObject({ ok: false, optional: true });
      expect(report.checks.find((c: any) => c.name === 'api key').detail).toBe('OPENAI_API_KEY is set');
      expect(report.checks.filter((c: any) => c.name.startsWith('dataset ')).every((c: any) => c.ok)).toBe(true);
      expect(out.stdout + out.stderr).not.toContain('sk-doctor-secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
