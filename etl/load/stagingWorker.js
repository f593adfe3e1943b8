// Entry of a staging worker thread: workers do not inherit the main thread's TypeScript loader,
// so each registers its own before loading the worker's code.
import { register } from 'tsx/esm/api';

register();
await import('./stagingWorker.ts');
