// An --eval-module running tool-format on shell requests an importer wrote (evals/imported/importers/nl2bash.ts):
// `CARDEVAL_TOOL_FORMAT_SHELL=FILE.jsonl cardeval run --eval-module evals/tool-format/imported.ts --eval tool-format-shell`.
import { resolve } from 'node:path';
import { toolFormatEval } from './index.js';

export default toolFormatEval({
  id: 'tool-format-shell',
  title: 'Tool format on imported shell requests (format only)',
  dataset: resolve(process.env.CARDEVAL_TOOL_FORMAT_SHELL ?? '.cardeval/datasets/tool-format-shell.jsonl'),
});
