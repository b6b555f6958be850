// dynalite on its own thread: DynamoDB work then runs on the second core instead of competing with the
// handlers and stand-ins on the main thread. Started by local/dynamodb.ts; answers with its port.
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

// Tables otherwise stay CREATING for 500 ms (DESIGN §8).
const server = dynalite({
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
  ...(workerData.path ? { path: workerData.path } : {}),
});
server.once('error', (error) => parentPort.postMessage({ error: String(error) }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'close') {
    server.closeAllConnections?.();
    server.close(() => parentPort.postMessage({ closed: true }));
  }
});
