import { eq } from 'drizzle-orm';
import type { Clock } from '../clocks/clock.js';
import type { Queryable } from '../db/database.js';
import { serverSecret } from './schema.js';
import { newSecret } from './tokens.js';

/**
 * A secret of the installation's, made once by whichever instance asks first and read by every other,
 * so several Concord processes behind one load balancer agree on it (a secret made in memory would
 * differ per process, and a form served by one would fail at another).
 */
export async function serverSecretNamed(db: Queryable, clock: Clock, name: string): Promise<string> {
  await db.insert(serverSecret).values({ name, value: newSecret(), createdAt: clock.now() }).onConflictDoNothing();
  const [row] = await db.select({ value: serverSecret.value }).from(serverSecret).where(eq(serverSecret.name, name));
  return row!.value;
}
