// `cardeval mock-server`: the mock OpenAI server as a process, until Ctrl-C.
import { startMockServer, type MockServerOptions } from '../../runners/mock/server.js';
import { mockModels } from '../../runners/mock/models.js';

export async function mockServerCommand(options: MockServerOptions): Promise<number> {
  const server = await startMockServer(options);
  process.stdout.write(`mock OpenAI server listening on ${server.url}\nmodels: ${mockModels.map((m) => m.name).join(', ')}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
