import { once } from 'node:events';
import type pg from 'pg';

/**
 * COPY through pg's own client, which has no streams for it: both are "submittables", objects pg
 * hands the connection to and then feeds the server's messages. This is the small part of
 * pg-copy-streams that backup and restore need, without another dependency.
 */

/** The pieces of pg's connection a COPY uses that its type declarations leave out. */
type CopyConnection = pg.Connection & { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void; sendCopyFail(message: string): void };

const rowsOf = (commandText: string | undefined) => Number.parseInt(/^COPY (\d+)/.exec(commandText ?? '')?.[1] ?? '', 10);

// The socket is paused when this many chunks wait unread, so a table never piles up in memory.
const HIGH_WATER = 256;

/**
 * `COPY … TO STDOUT` as an async iterable of chunks (one row each, as PostgreSQL sends them).
 * Iterate it to the end; `rows` is the server's count once it has.
 */
export class CopyOut implements pg.Submittable, AsyncIterable<Buffer> {
  rows = 0;
  private connection?: pg.Connection;
  private readonly chunks: Buffer[] = [];
  private finished = false;
  private failure?: Error;
  private wake?: () => void;
  /** pg sets this for a submittable it runs; it must not be called with the rows. */
  callback?: unknown;

  constructor(private readonly text: string) {}

  submit(connection: pg.Connection): void {
    this.connection = connection;
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    // pg reads the socket into a buffer it reuses: a chunk kept for later must be a copy.
    this.chunks.push(Buffer.from(message.chunk));
    if (this.chunks.length >= HIGH_WATER) this.connection?.stream.pause();
    this.notify();
  }

  handleCommandComplete(message: { text?: string }): void {
    this.rows = rowsOf(message.text);
  }

  handleReadyForQuery(): void {
    this.finished = true;
    this.notify();
  }

  handleError(error: Error): void {
    this.failure = error;
    this.connection?.stream.resume();
    this.notify();
  }

  // Messages a COPY TO never receives, but pg calls whatever the active query is.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(connection: CopyConnection): void {
    connection.sendCopyFail('COPY FROM is not expected here');
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      if (this.failure) throw this.failure;
      const chunk = this.chunks.shift();
      if (chunk) {
        if (this.chunks.length < HIGH_WATER / 2) this.connection?.stream.resume();
        yield chunk;
        continue;
      }
      if (this.finished) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify() {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** `COPY … FROM STDIN` fed from `source`; resolves with the number of rows the server loaded. */
export function copyIn(client: pg.PoolClient | pg.Client, text: string, source: AsyncIterable<Buffer>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let rows = 0;
    let failure: Error | undefined;
    const submittable = {
      callback: undefined as unknown,
      submit: (connection: pg.Connection) => connection.query(text),
      handleCopyInResponse: (connection: CopyConnection) => {
        void (async () => {
          try {
            for await (const chunk of source) {
              connection.sendCopyFromChunk(chunk);
              if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain');
            }
            connection.endCopyFrom();
          } catch (error) {
            // The server then answers with an error, which rejects below with this one.
            failure = error as Error;
            connection.sendCopyFail(failure.message);
          }
        })();
      },
      handleCommandComplete: (message: { text?: string }) => {
        rows = rowsOf(message.text);
      },
      handleReadyForQuery: () => resolve(rows),
      handleError: (error: Error) => reject(failure ?? error),
      handleRowDescription: () => undefined,
      handleDataRow: () => undefined,
      handleEmptyQuery: () => undefined,
      handlePortalSuspended: () => undefined,
      handleCopyData: () => undefined,
    };
    client.query(submittable);
  });
}
