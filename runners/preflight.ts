// One cheap request before a run is created: a dead endpoint, a rejected key or an unknown model ends it at once
// (exit 2, one line), instead of every item retrying into an hour of errors.
import OpenAI from 'openai';
import { ConfigError, redact } from '../core/errors.js';
import { credentialFreeUrl } from '../core/url.js';

export interface PreflightOptions {
  apiKey: string;
  /** undefined: the SDK's own default (OPENAI_BASE_URL, else OpenAI's API), as the run's client will use. */
  baseURL?: string;
  model: string;
  api: 'chat' | 'responses';
  /** For the one-token completion, which a local server may answer slowly (loading the model). */
  timeoutMs: number;
}

/** How long the models list may take: it is a listing, and a server that cannot list in this time is not answering. */
const LIST_TIMEOUT_MS = 10_000;

/**
 * Asks for the models list (free, and it names the models the key may use); where the list is not served (404, 405),
 * a one-token completion instead. Throws a ConfigError for what no retry fixes: no connection (refused, no such host,
 * no answer), 401/403, a model the endpoint does not have. Anything else (429, 5xx) is left to the run's own retries.
 */
export async function preflight(o: PreflightOptions): Promise<void> {
  const client = new OpenAI({ apiKey: o.apiKey, baseURL: o.baseURL, maxRetries: 0, timeout: LIST_TIMEOUT_MS });
  const where = credentialFreeUrl(client.baseURL) ?? 'the endpoint';
  const fail = (what: string): never => {
    throw new ConfigError(redact(`preflight: ${what}`, [o.apiKey]));
  };
  try {
    const served = (await client.models.list()).data.map((m) => m.id);
    if (served.length > 0 && !served.includes(o.model)) {
      const listed = served.slice(0, 12).join(', ') + (served.length > 12 ? `, … (${served.length} in all)` : '');
      fail(`${where} does not serve model "${o.model}"; it lists: ${listed}`);
    }
    return;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const status = (error as { status?: number }).status;
    if (status !== 404 && status !== 405) return classify(error, where, o.model, fail);
  }
  try {
    const options = { timeout: o.timeoutMs };
    const ask = 'Say OK.';
    if (o.api === 'responses') await client.responses.create({ model: o.model, input: ask, max_output_tokens: 16 }, options);
    else await client.chat.completions.create({ model: o.model, messages: [{ role: 'user', content: ask }], max_completion_tokens: 1 }, options);
  } catch (error) {
    classify(error, where, o.model, fail);
  }
}

function classify(error: unknown, where: string, model: string, fail: (what: string) => never): void {
  if (error instanceof OpenAI.APIConnectionTimeoutError) fail(`${where} did not answer in time; check --base-url or OPENAI_BASE_URL`);
  if (error instanceof OpenAI.APIConnectionError) fail(`cannot connect to ${where} (${causeOf(error)}); check --base-url or OPENAI_BASE_URL`);
  if (!(error instanceof OpenAI.APIError)) return;
  const detail = (error.error as { message?: string } | undefined)?.message ?? error.message;
  const code = error.code ?? (error.error as { code?: string } | undefined)?.code;
  if (error.status === 401) fail(`${where} rejected the API key (401): ${oneLine(detail)}; check OPENAI_API_KEY`);
  if (error.status === 403) fail(`${where} refused access (403): ${oneLine(detail)}`);
  if (error.status === 404 || code === 'model_not_found') fail(`${where} has no model "${model}" (${error.status}): ${oneLine(detail)}`);
}

/** The system's reason under the SDK's "Connection error.": ECONNREFUSED, ENOTFOUND (no such host), … */
function causeOf(error: Error): string {
  for (let e: unknown = error.cause; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `no such host: ${code}`;
    if (code) return code === 'ECONNREFUSED' ? 'connection refused' : code;
  }
  return oneLine(error.message);
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 300);

