// Runs a test body against a fresh in-process mock server (batches finish in 10 ms) and closes it afterwards.
import { startMockServer, type MockServer, type MockServerOptions } from '../../runners/mock/server.js';

export async function withServer<T>(options: MockServerOptions, body: (server: MockServer) => Promise<T>): Promise<T> {
  const server = await startMockServer({ batchDelayMs: 10, ...options });
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}
