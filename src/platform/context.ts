import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transaction } from './db/database.js';

/** What is known about the request being served, wherever the code is that serves it. */
export type RequestContext = {
  requestId: string;
  sourceIp: string | null;
  /**
   * Work that must commit or roll back with every transaction this request runs, given the
   * transaction's result (an Idempotency-Key's stored answer). It runs last, before the commit.
   */
  beforeCommit?: (tx: Transaction, result: unknown) => Promise<void>;
};

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** Fastify runs hooks and the handler in one async chain, so the request context is entered in a hook. */
export function enterRequestContext(context: RequestContext): void {
  storage.enterWith(context);
}
