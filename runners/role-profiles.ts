// How system and developer messages reach a provider that may not take them as such (the README's role profiles).
import type { Message } from '../core/wire.js';
import type { RoleProfile } from './capabilities.js';

/**
 * native: send roles as they are.
 * developer-as-system: a developer message becomes a system message (models without a developer role).
 * merged: system and developer text are folded into the first user message (models with neither role).
 */
export function applyRoleProfile(messages: Message[], profile: RoleProfile): Message[] {
  if (profile === 'native') return messages;
  if (profile === 'developer-as-system') {
    return messages.map((m) => (m.role === 'developer' ? { ...m, role: 'system' } : m));
  }
  const preamble = messages.filter((m) => m.role === 'system' || m.role === 'developer');
  const rest = messages.filter((m) => m.role !== 'system' && m.role !== 'developer');
  if (preamble.length === 0) return rest;
  const header = preamble.map((m) => `[${m.role} instructions]\n${m.content}`).join('\n\n');
  const firstUser = rest.findIndex((m) => m.role === 'user');
  if (firstUser === -1) return [{ role: 'user', content: header }, ...rest];
  return rest.map((m, i) => (i === firstUser ? { ...m, content: `${header}\n\n[user]\n${m.content}` } : m));
}
