// Mock skills for tool-format conversations: a model that calls `python` correctly, one that keeps calling a
// hallucinated `bash` tool (the o3-mini card's failure), and one that first sends malformed arguments, then recovers.
//
// A conversation is a tool-format one when the request offers a function tool named `python` (native tools), or when a
// system/developer message describes the text protocol (it contains both `<tool_call>` and `<tool_result>`). Results
// come back as trailing `tool` messages (native) or as a last user message of `<tool_result>…</tool_result>` blocks
// (text); a result that starts with `Error:` is the harness rejecting a call.
//
// The mock cannot think, so it writes its code from the task's wording. It knows these phrasings (backticks literal;
// FILE, TEXT, COLUMN, KEY, OBJECT, EXT, N, B, E, S stand for the task's values):
//   How many files in the working directory have the extension `.EXT`?
//   How many lines of `FILE` contain the text `TEXT`?
//   What is the number of the first line of `FILE` that contains `TEXT`? Lines are numbered from 1.
//   Which file in the working directory is the largest, in bytes? Answer with its file name.
//   What is the sum of the `COLUMN` column of `FILE`? Give it with exactly two decimals.
//   How many distinct values does the `COLUMN` column of `FILE` contain?
//   How many whitespace-separated words are in `FILE`?
//   How many lines are there in total across all `.txt` files in the working directory?
//   Which IP address appears most often in `FILE`? Each line starts with the client's IP address.
//   What is the value of the key `KEY` inside the `OBJECT` object of `FILE`?
//   What is the sum of the decimal digits of B to the power of E?
//   How many prime numbers are smaller than N?
//   What are the first 16 hexadecimal characters of the SHA-256 digest of the UTF-8 string `S` (without a trailing newline)?
//   What is the median of the integers in `FILE` (one per line)?
// Any other task gets code that lists the working directory, so the call is still well formed.
// The python prints the answer alone; the mock answers `ANSWER: <last line the tool printed>`.
import type { ChatRequest, Message, ToolCall } from '../../../core/wire.js';
import type { MockReply, Skill } from './types.js';

interface Recipe {
  pattern: RegExp;
  python: (m: RegExpMatchArray) => string;
  shell: (m: RegExpMatchArray) => string;
}

/** A Python string literal for text from the task (JSON string syntax is valid Python for it). */
const py = (text: string) => JSON.stringify(text);
/** A single-quoted shell word. */
const sh = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

const recipes: Recipe[] = [
  {
    pattern: /How many files in the working directory have the extension `\.([^`]+)`\?/,
    python: (m) => `import os\nprint(sum(1 for n in os.listdir('.') if os.path.isfile(n) and n.endswith(${py('.' + m[1])})))`,
    shell: (m) => `ls *.${m[1]} | wc -l`,
  },
  {
    pattern: /How many lines of `([^`]+)` contain the text `([^`]+)`\?/,
    python: (m) => `with open(${py(m[1])}, encoding='utf-8') as f:\n    print(sum(1 for line in f if ${py(m[2])} in line))`,
    shell: (m) => `grep -c ${sh(m[2])} ${sh(m[1])}`,
  },
  {
    pattern: /What is the number of the first line of `([^`]+)` that contains `([^`]+)`\?/,
    python: (m) =>
      `with open(${py(m[1])}, encoding='utf-8') as f:\n    for number, line in enumerate(f, start=1):\n` +
      `        if ${py(m[2])} in line:\n            print(number)\n            break`,
    shell: (m) => `grep -n -m1 ${sh(m[2])} ${sh(m[1])} | cut -d: -f1`,
  },
  {
    pattern: /Which file in the working directory is the largest, in bytes\?/,
    python: () => `import os\nfiles = [n for n in os.listdir('.') if os.path.isfile(n)]\nprint(max(files, key=os.path.getsize))`,
    shell: () => 'ls -S | head -n 1',
  },
  {
    pattern: /What is the sum of the `([^`]+)` column of `([^`]+)`\?/,
    python: (m) =>
      `import csv\nfrom decimal import Decimal\nwith open(${py(m[2])}, newline='', encoding='utf-8') as f:\n` +
      `    total = sum(Decimal(row[${py(m[1])}]) for row in csv.DictReader(f))\nprint(f'{total:.2f}')`,
    shell: (m) => `awk -F, 'NR==1 {for (i=1; i<=NF; i++) if ($i=="${m[1]}") c=i; next} {s+=$c} END {printf "%.2f\\n", s}' ${sh(m[2])}`,
  },
  {
    pattern: /How many distinct values does the `([^`]+)` column of `([^`]+)` contain\?/,
    python: (m) => `import csv\nwith open(${py(m[2])}, newline='', encoding='utf-8') as f:\n    print(len({row[${py(m[1])}] for row in csv.DictReader(f)}))`,
    shell: (m) => `csvcut -c ${sh(m[1])} ${sh(m[2])} | tail -n +2 | sort -u | wc -l`,
  },
  {
    pattern: /How many whitespace-separated words are in `([^`]+)`\?/,
    python: (m) => `with open(${py(m[1])}, encoding='utf-8') as f:\n    print(len(f.read().split()))`,
    shell: (m) => `wc -w < ${sh(m[1])}`,
  },
  {
    pattern: /How many lines are there in total across all `\.txt` files in the working directory\?/,
    python: () => `import glob\ntotal = 0\nfor name in glob.glob('*.txt'):\n    with open(name, encoding='utf-8') as f:\n        total += len(f.read().splitlines())\nprint(total)`,
    shell: () => 'cat *.txt | wc -l',
  },
  {
    pattern: /Which IP address appears most often in `([^`]+)`\?/,
    python: (m) =>
      `from collections import Counter\nwith open(${py(m[1])}, encoding='utf-8') as f:\n` +
      `    counts = Counter(line.split()[0] for line in f if line.strip())\nprint(counts.most_common(1)[0][0])`,
    shell: (m) => `awk '{print $1}' ${sh(m[1])} | sort | uniq -c | sort -rn | head -n 1`,
  },
  {
    pattern: /What is the value of the key `([^`]+)` inside the `([^`]+)` object of `([^`]+)`\?/,
    python: (m) => `import json\nwith open(${py(m[3])}, encoding='utf-8') as f:\n    print(json.load(f)[${py(m[2])}][${py(m[1])}])`,
    shell: (m) => `jq -r '.${m[2]}.${m[1]}' ${sh(m[3])}`,
  },
  {
    pattern: /What is the sum of the decimal digits of (\d+) to the power of (\d+)\?/,
    python: (m) => `print(sum(int(d) for d in str(${m[1]} ** ${m[2]})))`,
    shell: (m) => `echo '${m[1]}^${m[2]}' | BC_LINE_LENGTH=0 bc | fold -w1 | paste -sd+ | bc`,
  },
  {
    pattern: /How many prime numbers are smaller than (\d+)\?/,
    python: (m) =>
      `n = ${m[1]}\nsieve = bytearray([1]) * n\nsieve[0:2] = b'\\x00\\x00'\nfor i in range(2, int(n ** 0.5) + 1):\n` +
      `    if sieve[i]:\n        sieve[i * i::i] = bytearray(len(range(i * i, n, i)))\nprint(sum(sieve))`,
    shell: (m) => `seq 2 ${Number(m[1]) - 1} | factor | awk 'NF == 2' | wc -l`,
  },
  {
    pattern: /What are the first 16 hexadecimal characters of the SHA-256 digest of the UTF-8 string `([^`]+)`/,
    python: (m) => `import hashlib\nprint(hashlib.sha256(${py(m[1])}.encode('utf-8')).hexdigest()[:16])`,
    shell: (m) => `printf '%s' ${sh(m[1])} | sha256sum | cut -c1-16`,
  },
  {
    pattern: /What is the median of the integers in `([^`]+)` \(one per line\)\?/,
    python: (m) => `with open(${py(m[1])}, encoding='utf-8') as f:\n    numbers = sorted(int(x) for x in f.read().split())\nprint(numbers[len(numbers) // 2])`,
    shell: (m) => `sort -n ${sh(m[1])} | awk '{a[NR] = $1} END {print a[(NR + 1) / 2]}'`,
  },
];

const fallback = { python: "import os\nprint('\\n'.join(sorted(os.listdir('.'))))", shell: 'ls -la' };

type Mode = 'native' | 'text';

function modeOf(request: ChatRequest): Mode | undefined {
  if (request.tools?.some((t) => t.function.name === 'python')) return 'native';
  const protocol = request.messages.some(
    (m) => (m.role === 'system' || m.role === 'developer') && m.content.includes('<tool_call>') && m.content.includes('<tool_result>'),
  );
  return protocol ? 'text' : undefined;
}

/** The code (and the shell command a bash-minded model would write) for the conversation's task. */
function planFor(request: ChatRequest): { python: string; shell: string } {
  const task = request.messages.find((m) => m.role === 'user')?.content ?? '';
  for (const recipe of recipes) {
    const m = task.match(recipe.pattern);
    if (m) return { python: recipe.python(m), shell: recipe.shell(m) };
  }
  return fallback;
}

/** The harness's answers to the model's last turn, or undefined on the first turn. */
function lastResults(messages: readonly Message[], mode: Mode): string[] | undefined {
  const last = messages[messages.length - 1];
  if (mode === 'native') {
    if (last?.role !== 'tool') return undefined;
    const results: string[] = [];
    for (let i = messages.length - 1; i >= 0 && messages[i].role === 'tool'; i--) results.unshift(messages[i].content);
    return results;
  }
  if (last?.role !== 'user' || !last.content.trimStart().startsWith('<tool_result>')) return undefined;
  return [...last.content.matchAll(/<tool_result>\n?([\s\S]*?)\n?<\/tool_result>/g)].map((m) => m[1]);
}

function priorTurns(request: ChatRequest): number {
  return request.messages.filter((m) => m.role === 'assistant').length;
}

/** A call in the conversation's format; `args` is sent verbatim, so it may be malformed on purpose. */
function call(request: ChatRequest, mode: Mode, name: string, args: string): MockReply {
  if (mode === 'text') return { content: `I'll run this with the ${name} tool.\n<tool_call>{"name": ${JSON.stringify(name)}, "arguments": ${args}}</tool_call>` };
  const toolCall: ToolCall = { id: `call_${priorTurns(request) + 1}`, type: 'function', function: { name, arguments: args } };
  return { content: '', tool_calls: [toolCall] };
}

/** The well-behaved turn: run the task's code; once its output is back, answer with what it printed. */
function solveWithPython(request: ChatRequest, mode: Mode): MockReply {
  const results = lastResults(request.messages, mode);
  if (!results || results.some((r) => r.startsWith('Error:'))) {
    return call(request, mode, 'python', JSON.stringify({ code: planFor(request).python }));
  }
  const printed = results
    .flatMap((r) => r.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('['));
  const value = printed[printed.length - 1] ?? 'unknown';
  return { content: `The code printed ${value}.\n\nANSWER: ${value}` };
}

/** Calls `python` correctly with code that solves the task, then answers from the output. */
export const pythonToolSkill: Skill = (request) => {
  const mode = modeOf(request);
  return mode ? solveWithPython(request, mode) : undefined;
};

/** How many rejected `bash` calls the bash model makes before it gives up. */
export const BASH_ATTEMPTS = 3;

/** Calls a hallucinated `bash` tool, again after every error, and gives up after BASH_ATTEMPTS tries. */
export const bashToolSkill: Skill = (request) => {
  const mode = modeOf(request);
  if (!mode) return undefined;
  if (priorTurns(request) >= BASH_ATTEMPTS) {
    return { content: 'The bash tool keeps failing, so I cannot run the command.\n\nANSWER: unknown' };
  }
  return call(request, mode, 'bash', JSON.stringify({ command: planFor(request).shell }));
};

/** A Python-dict literal instead of JSON: the kind of arguments that do not parse. */
function pythonDictArguments(code: string): string {
  return `{'code': '${code.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'}`;
}

/** First sends `python` arguments that are not JSON; after the error comes back, behaves like pythonToolSkill. */
export const malformedToolSkill: Skill = (request) => {
  const mode = modeOf(request);
  if (!mode) return undefined;
  if (priorTurns(request) === 0) return call(request, mode, 'python', pythonDictArguments(planFor(request).python));
  return solveWithPython(request, mode);
};
