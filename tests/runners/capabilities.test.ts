import { describe, it, expect } from 'vitest';
import { capabilitiesFor, defaultRoleProfile, levelSetup } from '../../runners/capabilities.js';
import { applyRoleProfile } from '../../runners/role-profiles.js';
import type { Message } from '../../core/wire.js';

describe('levelSetup', () => {
  it('o3-mini demotes system messages (whoever serves it); the built-in mock does not', () => {
    expect(levelSetup('o3-mini', 'native', 'openai')).toEqual({ roleProfile: 'native', systemIsDeveloper: true });
    expect(levelSetup('o3-mini-2025-01-31', 'native', 'openai-compatible').systemIsDeveloper).toBe(true);
    expect(levelSetup('gpt-4o', 'native', 'openai').systemIsDeveloper).toBe(false);
    expect(levelSetup('mock-hierarchy', 'native', 'mock').systemIsDeveloper).toBe(false);
  });
  it('a model the table does not know gets developer-as-system', () => {
    expect(capabilitiesFor('llama-3.1-8b-instruct').known).toBe(false);
    expect(defaultRoleProfile(capabilitiesFor('llama-3.1-8b-instruct'))).toBe('developer-as-system');
  });
});

describe('applyRoleProfile', () => {
  const conversation: Message[] = [{ role: 'system', content: 'S' }, { role: 'developer', content: 'D' }, { role: 'user', content: 'U' }];
  // The engine maps before hashing and storing; the runner maps again: the second pass must change nothing.
  for (const profile of ['native', 'developer-as-system', 'merged'] as const) {
    it(`${profile} is idempotent`, () => {
      const once = applyRoleProfile(conversation, profile);
      expect(applyRoleProfile(once, profile)).toEqual(once);
    });
  }
});
