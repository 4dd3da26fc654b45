import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';

/**
 * A Concord backup file, gzipped. Inside: a magic line, then frames of [type byte][uint32 length]
 * [payload]: the header (JSON), then for each table its start (JSON), its rows as COPY text in
 * data frames and its end (JSON, the rows written), and last the SHA-256 of everything before
 * that final frame. Frames let a restore stream a table of millions of rows straight into COPY
 * without looking for row ends.
 */

export const BACKUP_FORMAT_VERSION = 1;
const MAGIC = Buffer.from('CONCORD-BACKUP\n');
const FRAME_HEAD = 5;

export type FrameType = 'H' | 'T' | 'D' | 'E' | 'Z';
export type Frame = { type: FrameType; payload: Buffer };

/** A backup file that cannot be restored, or a restore that may not go ahead; the message says why. */
export class BackupError extends Error {}

const identifier = z.string().min(1);
const headerSchema = z.object({
  format: z.literal('concord-backup'),
  version: z.number().int(),
  createdAt: z.string(),
  postgresVersion: z.string(),
  migrations: z.object({ applied: z.number().int().nonnegative(), lastCreatedAt: z.number().nullable(), lastHash: z.string().nullable() }),
  tables: z.array(z.object({ schema: identifier, name: identifier, columns: z.array(identifier), partitioned: z.boolean(), rows: z.number().int().nonnegative() })),
  partitions: z.array(z.object({ schema: identifier, name: identifier, parentSchema: identifier, parent: identifier, bound: z.string(), triggers: z.array(z.string()) })),
  sequences: z.array(z.object({ schema: identifier, name: identifier, lastValue: z.string().regex(/^-?\d+$/), isCalled: z.boolean() })),
});
export type BackupHeader = z.infer<typeof headerSchema>;
export type BackupTable = BackupHeader['tables'][number];

export const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const qualified = (schema: string, name: string) => `${quoted(schema)}.${quoted(name)}`;

function frameBytes(type: FrameType, payload: Buffer): Buffer[] {
  const head = Buffer.alloc(FRAME_HEAD);
  head.write(type, 0, 'ascii');
  head.writeUInt32BE(payload.length, 1);
  return [head, payload];
}

export const jsonFrame = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Writes a backup to `file` (created with owner-only permissions; never overwrites). */
export class BackupWriter {
  private readonly hash: Hash = createHash('sha256');
  private readonly gzip = createGzip();
  private readonly written: Promise<void>;

  constructor(file: string) {
    this.written = pipeline(this.gzip, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    // Surfaced by finish(); without a handler a failed write would crash the process first.
    this.written.catch(() => undefined);
    void this.write(MAGIC);
  }

  async frame(type: FrameType, payload: Buffer): Promise<void> {
    for (const part of frameBytes(type, payload)) await this.write(part);
  }

  /** Ends the file with the checksum of all it holds; returns that checksum (hex). */
  async finish(): Promise<string> {
    const digest = this.hash.digest();
    for (const part of frameBytes('Z', digest)) this.gzip.write(part);
    this.gzip.end();
    await this.written;
    return digest.toString('hex');
  }

  abort(): void {
    this.gzip.destroy();
  }

  private async write(bytes: Buffer) {
    this.hash.update(bytes);
    if (!this.gzip.write(bytes)) await Promise.race([once(this.gzip, 'drain'), this.written]);
  }
}

/**
 * The frames of a backup file, in order, ending with its checksum frame. Throws a BackupError
 * naming the problem when the file is not a backup, is damaged or truncated, or when its checksum
 * does not match its content; a caller loading rows must therefore read to the end before it commits.
 */
export async function* readFrames(file: string): AsyncGenerator<Frame> {
  let input: fs.ReadStream;
  try {
    await fs.promises.access(file, fs.constants.R_OK);
    input = fs.createReadStream(file);
  } catch (error) {
    throw new BackupError(`Cannot read the backup file ${file}: ${(error as Error).message}`);
  }
  const gunzip = createGunzip();
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  const hash = createHash('sha256');
  let pending: Buffer = Buffer.alloc(0);
  let magicSeen = false;
  let checksumSeen = false;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      if (!magicSeen) {
        if (pending.length < MAGIC.length) continue;
        if (!pending.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupError(`${file} is not a Concord backup file.`);
        hash.update(pending.subarray(0, MAGIC.length));
        pending = pending.subarray(MAGIC.length);
        magicSeen = true;
      }
      while (pending.length >= FRAME_HEAD) {
        if (checksumSeen) throw new BackupError(`The backup file ${file} is damaged: it goes on after its checksum.`);
        const type = pending.toString('ascii', 0, 1) as FrameType;
        const length = pending.readUInt32BE(1);
        if (!'HTDEZ'.includes(type)) throw new BackupError(`The backup file ${file} is damaged: an unknown section ("${type}").`);
        if (pending.length < FRAME_HEAD + length) break;
        const whole = pending.subarray(0, FRAME_HEAD + length);
        const payload = whole.subarray(FRAME_HEAD);
        pending = pending.subarray(FRAME_HEAD + length);
        if (type === 'Z') {
          const computed = hash.digest();
          if (!computed.equals(payload)) {
            throw new BackupError(
              `The backup file ${file} fails its checksum: it records SHA-256 ${payload.toString('hex')}, its content has ${computed.toString('hex')}. ` +
                'It has been changed or damaged since it was written.',
            );
          }
          checksumSeen = true;
        } else {
          hash.update(whole);
        }
        yield { type, payload };
      }
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`The backup file ${file} is damaged: ${(error as Error).message}.`);
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  if (!checksumSeen || pending.length > 0) throw new BackupError(`The backup file ${file} is incomplete: it ends before its checksum.`);
}

/** A section's JSON; a damaged file can decompress into anything before its checksum is reached. */
export function frameJson<T>(frame: Frame, file: string): T {
  try {
    return JSON.parse(frame.payload.toString('utf8')) as T;
  } catch {
    throw new BackupError(`The backup file ${file} is damaged: a section of it is not readable.`);
  }
}

export function parseHeader(frame: Frame | undefined, file: string): BackupHeader {
  if (frame?.type !== 'H') throw new BackupError(`The backup file ${file} is damaged: it does not start with its header.`);
  const parsed = frameJson<unknown>(frame, file);
  const version = (parsed as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > BACKUP_FORMAT_VERSION) {
    throw new BackupError(`The backup file ${file} has format ${version}, made by a newer Concord; this one reads format ${BACKUP_FORMAT_VERSION}.`);
  }
  const header = headerSchema.safeParse(parsed);
  if (!header.success || header.data.version !== BACKUP_FORMAT_VERSION) {
    const where = header.error?.issues[0]?.path.join('.');
    throw new BackupError(`The backup file ${file} is damaged: its header is not a Concord backup header${where ? ` (at ${where})` : ''}.`);
  }
  return header.data;
}

/**
 * Reads the whole file once, checking its checksum and that its sections follow its header:
 * every table in the header's order, each with the row count the header gives. Writes nothing.
 */
export async function checkBackupFile(file: string): Promise<BackupHeader> {
  const frames = readFrames(file);
  const header = parseHeader((await frames.next()).value as Frame | undefined, file);
  let table = -1;
  let open = false;
  for await (const frame of frames) {
    const expected = header.tables[table + (open ? 0 : 1)];
    if (frame.type === 'T') {
      const start = frameJson<{ schema: string; name: string }>(frame, file);
      if (open || !expected || start.schema !== expected.schema || start.name !== expected.name) throw new BackupError(`The backup file ${file} is damaged: its tables do not follow its header.`);
      table += 1;
      open = true;
    } else if (frame.type === 'D') {
      if (!open) throw new BackupError(`The backup file ${file} is damaged: rows outside a table.`);
    } else if (frame.type === 'E') {
      const end = frameJson<{ rows: number }>(frame, file);
      if (!open || end.rows !== expected!.rows) throw new BackupError(`The backup file ${file} is damaged: ${expected?.name ?? 'a table'} does not hold the rows its header gives.`);
      open = false;
    } else if (frame.type === 'H') {
      throw new BackupError(`The backup file ${file} is damaged: a second header.`);
    }
  }
  if (open || table !== header.tables.length - 1) throw new BackupError(`The backup file ${file} is damaged: it lacks tables its header lists.`);
  return header;
}
