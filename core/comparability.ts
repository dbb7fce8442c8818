// Whether a row measures what the card's row measured: the privilege levels its variant needs, against the run's setup.
import type { PrivilegePair } from './types.js';

export type Comparability = 'comparable' | 'approximate' | 'not-comparable';

export interface RowComparability {
  comparability: Comparability;
  comparability_reason: string;
}

/** What decides the levels a provider actually sees. */
export interface LevelSetup {
  /** How system and developer messages were sent: native, developer-as-system or merged (runners/role-profiles.ts). */
  roleProfile: string;
  /** The provider treats a caller's `system` message as developer-level (OpenAI's o-series API). */
  systemIsDeveloper: boolean;
}

/**
 * Where a role lands once the role profile has been applied: the profile can merge two levels into one (then the row
 * no longer tests the hierarchy the card's row tested) or move a message to another role (then it is approximate).
 */
function sentAs(role: 'system' | 'developer' | 'user', roleProfile: string): 'system' | 'developer' | 'user' {
  if (roleProfile === 'merged' && role !== 'user') return 'user';
  if (roleProfile === 'developer-as-system' && role === 'developer') return 'system';
  return role;
}

export function comparabilityOf(pair: PrivilegePair | undefined, setup: LevelSetup): RowComparability {
  if (!pair) return { comparability: 'comparable', comparability_reason: 'the row tests no privilege levels' };
  const higher = sentAs(pair.higher, setup.roleProfile);
  const lower = sentAs(pair.lower, setup.roleProfile);
  const what = `${pair.higher}<>${pair.lower}`;
  if (higher === lower) {
    const how =
      setup.roleProfile === 'merged'
        ? `the merged role profile folds the ${pair.higher} message into the user message`
        : `the ${setup.roleProfile} role profile sends the developer message as a system message`;
    return { comparability: 'not-comparable', comparability_reason: `${how}, so this ${what} row pits one level against itself` };
  }
  // OpenAI's o-series API treats a caller's system message as developer-level: any rule held there is held one level
  // lower than in the card's own runs (measured inside OpenAI, where a true system level exists).
  if (setup.systemIsDeveloper && pair.higher === 'system') {
    const effect =
      pair.lower === 'developer'
        ? `this ${what} row pits two developer-level messages against each other`
        : `this ${what} row tests a developer-level rule against the ${pair.lower}, not the system-level rule of the card's row`;
    return { comparability: 'approximate', comparability_reason: `on this API a caller's system message is developer-level, so ${effect}` };
  }
  if (higher !== pair.higher || lower !== pair.lower) {
    return {
      comparability: 'approximate',
      comparability_reason: `the ${setup.roleProfile} role profile sends the ${pair.higher}<>${pair.lower} messages as ${higher}<>${lower}; the levels stay apart`,
    };
  }
  return { comparability: 'comparable', comparability_reason: `${what} sent as ${higher}<>${lower}` };
}
