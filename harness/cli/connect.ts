// Builds the runner stack for a run: provider (OpenAI, a compatible server, or the built-in mock) and wrappers.
import { ConfigError } from '../errors.js';
import { openaiChatRunner, checkRequestParams } from '../../runners/openai-chat.js';
import { withConcurrency } from '../../runners/concurrency.js';
import { capabilitiesFor, defaultRoleProfile, type RoleProfile } from '../../runners/capabilities.js';
import { startMockServer, type MockServer } from '../../runners/mock/server.js';
import { findMockModel, mockModels } from '../../runners/mock/models.js';
import type { Runner } from '../../runners/types.js';

export interface ConnectOptions {
  model: string;
  baseUrl?: string | null;
  mock: boolean;
  timeoutS: number;
  maxRetries: number;
  concurrency: number;
  roleProfile?: RoleProfile;
  reasoningEffort?: 'low' | 'medium' | 'high';
}

export interface Connection {
  runner: Runner;
  provider: 'mock' | 'openai' | 'openai-compatible';
  /** Where requests go, credentials removed; null for the in-process mock. */
  baseUrl: string | null;
  roleProfile: RoleProfile;
  close(): Promise<void>;
}

export const DEFAULT_MOCK_MODEL = 'mock-hierarchy';

/** A base URL fit to be stored or printed: no user, password, query or fragment. */
export function publicBaseUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    throw new ConfigError(`--base-url "${url.replace(/\/\/[^@/]*@/, '//***@')}" is not a URL`);
  }
}

export function checkMockModel(model: string): void {
  if (!findMockModel(model)) {
    throw new ConfigError(`unknown mock model "${model}"; the built-in mock serves: ${mockModels.map((m) => m.name).join(', ')}`);
  }
}

/** Validates everything a run needs before any request: model parameters, mock model name. */
export function checkConnectOptions(o: ConnectOptions): void {
  if (o.mock) checkMockModel(o.model);
  checkRequestParams(o.model, { reasoning_effort: o.reasoningEffort });
}

export async function connect(o: ConnectOptions): Promise<Connection> {
  checkConnectOptions(o);
  const roleProfile = o.roleProfile ?? defaultRoleProfile(capabilitiesFor(o.model));
  let server: MockServer | undefined;
  let baseURL: string | undefined;
  let apiKey = process.env.OPENAI_API_KEY;
  if (o.mock) {
    server = await startMockServer({ port: 0 });
    baseURL = server.url;
    apiKey = 'mock-key';
  } else if (o.baseUrl) {
    baseURL = o.baseUrl;
    apiKey ||= 'no-key'; // many local servers take any key; the SDK insists on one
  }
  if (!apiKey) throw new ConfigError('OPENAI_API_KEY is not set (or pass --base-url for an OpenAI-compatible server)');
  const base = openaiChatRunner({ apiKey, baseURL, timeoutMs: o.timeoutS * 1000, maxRetries: o.maxRetries, roleProfile });
  return {
    runner: withConcurrency(base, o.concurrency),
    provider: o.mock ? 'mock' : o.baseUrl ? 'openai-compatible' : 'openai',
    baseUrl: o.mock ? null : publicBaseUrl(o.baseUrl ?? 'https://api.openai.com/v1'),
    roleProfile,
    close: async () => {
      await server?.close();
    },
  };
}
