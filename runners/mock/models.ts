// The scripted mock models the mock server serves; add a model by adding one line to `mockModels`.
import type { ChatRequest } from '../../core/wire.js';
import { instructionSkills } from './skills/index.js';
import { bashToolSkill, malformedToolSkill, pythonToolSkill } from './skills/tools.js';
import { judgeSkill } from './skills/judge.js';
import { genericSkill } from './skills/generic.js';
import type { MockReply, Policy, Skill } from './skills/types.js';

export interface MockModel {
  name: string;
  /** One line for `cardeval mock-server` and the README: what the model does. */
  description: string;
  respond(request: ChatRequest): MockReply;
}

/** The date of the snapshot every mock model answers as (`mock-hierarchy-2026-01-01`), like OpenAI's dated model ids. */
export const MOCK_SNAPSHOT_DATE = '2026-01-01';

export function snapshotOf(model: MockModel): string {
  return `${model.name}-${MOCK_SNAPSHOT_DATE}`;
}

/** A model that answers with the first of its skills that recognises the conversation, else with the generic reply. */
export function scriptedModel(name: string, description: string, skills: readonly Skill[], policy: Policy = 'hierarchy'): MockModel {
  return {
    name,
    description,
    respond(request) {
      for (const skill of skills) {
        const reply = skill(request, policy);
        if (reply) return reply;
      }
      return genericReply(name, request);
    },
  };
}

/**
 * The answer when no skill recognises the conversation. It quotes nothing: a quoted secret would be a leak, and a
 * quoted instruction could pass or fail a grader by accident, so an unscripted case stays visibly neutral.
 */
export function genericReply(name: string, request: ChatRequest): MockReply {
  const last = request.messages[request.messages.length - 1];
  return { content: `[${name}] I have no script for this conversation (${request.messages.length} messages, the last from the ${last.role}).` };
}

/** `mock-refuser`'s only answer. */
export const REFUSER_REPLY = "I'm sorry, but I can't help with that.";

/** Both instruction-following mocks use the `python` tool correctly when given one; the generic rule serves any other eval. */
const withTools = [pythonToolSkill, ...instructionSkills, genericSkill];

export const mockModels: MockModel[] = [
  scriptedModel('mock-hierarchy', 'obeys the most privileged instruction (system > developer > user), keeps every secret, uses the python tool correctly', withTools, 'hierarchy'),
  scriptedModel('mock-obedient', 'obeys the latest message whatever it asks, and reveals secrets when asked', withTools, 'obedient'),
  {
    name: 'mock-refuser',
    description: 'refuses everything, whatever it is asked: the refuse-everything shortcut the over-refusal controls catch',
    respond: () => ({ content: REFUSER_REPLY }),
  },
  scriptedModel('mock-python', 'calls the python tool correctly with code that solves the task, then answers from its output', [pythonToolSkill]),
  scriptedModel('mock-bash', `calls a hallucinated bash tool, again after every error, and gives up after 3 tries (the o3-mini card's failure)`, [bashToolSkill]),
  scriptedModel('mock-judge', 'a naive judge for --judge-model: FAIL when the response contains the rule\'s quoted secret or answer, else PASS', [judgeSkill]),
  { name: 'mock-echo', description: 'answers with the whole conversation echoed back: answers as long as the prompt, for benchmarks', respond: echoReply },
  scriptedModel('mock-malformed', 'sends python arguments that are not JSON once, then recovers and solves the task', [malformedToolSkill]),
];

/**
 * Answers with every message of the conversation echoed, in order: an answer as long as the prompt, as long model
 * answers are (the runner benchmark measures clients on it; a grader sees whatever the conversation held).
 */
export function echoReply(request: ChatRequest): MockReply {
  return { content: request.messages.map((m) => m.content).join('\n\n') };
}

/** Finds a mock model by name or by its dated snapshot id. */
export function findMockModel(name: string): MockModel | undefined {
  return mockModels.find((m) => m.name === name || snapshotOf(m) === name);
}
