// What each model family accepts, so every request we send is valid for the model it goes to.

export type RoleProfile = 'native' | 'developer-as-system' | 'merged';

export interface ModelCapabilities {
  /** Takes `developer` messages natively. */
  developerRole: boolean;
  /** Takes `system` messages at all (o1-mini and o1-preview do not). */
  systemRole: boolean;
  /** Uses `max_completion_tokens` (reasoning models) rather than `max_tokens`. */
  maxCompletionTokens: boolean;
  temperature: boolean;
  reasoningEffort: boolean;
  tools: boolean;
  /** A caller's `system` message is treated as developer-level (OpenAI's o-series and GPT-5 reasoning models). */
  systemIsDeveloper: boolean;
}

interface Entry extends ModelCapabilities {
  pattern: RegExp;
}

const reasoning = { developerRole: true, systemRole: true, maxCompletionTokens: true, temperature: false, reasoningEffort: true, tools: true, systemIsDeveloper: true };
const chat = { developerRole: true, systemRole: true, maxCompletionTokens: false, temperature: true, reasoningEffort: false, tools: true, systemIsDeveloper: false };

/** First match wins; patterns are matched against the model id the user passes. */
const table: Entry[] = [
  // The mock keeps system and developer apart (runners/mock/README.md).
  { pattern: /^mock-/, ...reasoning, temperature: true, systemIsDeveloper: false },
  { pattern: /^o1-(mini|preview)/, developerRole: false, systemRole: false, maxCompletionTokens: true, temperature: false, reasoningEffort: false, tools: false, systemIsDeveloper: false },
  { pattern: /^(o1|o3|o4)(-|$)/, ...reasoning },
  { pattern: /^gpt-5(?!-chat)/, ...reasoning },
  { pattern: /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-4-turbo|chatgpt-4o|gpt-5-chat)/, ...chat },
  { pattern: /^gpt-(4|3\.5)/, ...chat, developerRole: false },
];

/** Models we know nothing of (e.g. behind an OpenAI-compatible server): the most common subset. */
const unknown: ModelCapabilities = { ...chat, developerRole: false };

const found = new Map<string, Readonly<ModelCapabilities & { known: boolean }>>();

/** Asked for every request, so each model id is looked up once. */
export function capabilitiesFor(model: string): Readonly<ModelCapabilities & { known: boolean }> {
  let caps = found.get(model);
  if (!caps) {
    const entry = table.find((e) => e.pattern.test(model));
    const { pattern: _pattern, ...known } = entry ?? { pattern: undefined, ...unknown };
    caps = Object.freeze({ ...known, known: entry !== undefined });
    found.set(model, caps);
  }
  return caps;
}

/** The role profile a model needs unless the user chooses one. */
export function defaultRoleProfile(caps: ModelCapabilities): RoleProfile {
  if (caps.developerRole) return 'native';
  return caps.systemRole ? 'developer-as-system' : 'merged';
}

/** The levels a run's requests reach the provider at: its role profile, and whether the provider demotes `system`. */
export function levelSetup(model: string, roleProfile: RoleProfile, provider: string): { roleProfile: RoleProfile; systemIsDeveloper: boolean } {
  // By model, not by provider: a gateway or Azure serving "o3-mini" serves OpenAI's model. Only the built-in mock,
  // which answers any model id it scripts, keeps the levels apart.
  return { roleProfile, systemIsDeveloper: provider !== 'mock' && capabilitiesFor(model).systemIsDeveloper };
}
