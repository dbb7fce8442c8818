// docs/cli.md, the command-line reference: every command's --help as commander prints it (npm run docs:cli writes it;
// tests/harness/cli/reference.test.ts keeps the page equal to the program).
import type { Command } from 'commander';
import { buildProgram } from './program.js';

export function cliReference(): string {
  const { program } = buildProgram();
  const sections: string[] = [
    '# cardeval command-line reference\n\nEvery command and option, as `cardeval --help` and `cardeval COMMAND --help` print them (`npm run docs:cli`\nwrites this page from the program; a test keeps them equal). The command line is fixed: nothing here is renamed or\nremoved.\n',
  ];
  const walk = (command: Command, path: string[]): void => {
    if (command.name() === 'help') return;
    const help = command.helpInformation({ error: false }).trimEnd();
    sections.push(`## ${['cardeval', ...path].join(' ')}\n\n\`\`\`text\n${help}\n\`\`\`\n`);
    for (const sub of command.commands) walk(sub, [...path, sub.name()]);
  };
  walk(program, []);
  return sections.join('\n');
}
