import pg from 'pg';

export type ReadinessProbe = { isReady(): Promise<boolean> };

export type ReadinessOptions = {
  /** How long a connection handed back to the pool in good order proves the database answers. */
  freshForMs?: number;
  /** How long a probe of its own may take before the database counts as unreachable. */
  timeoutMs?: number;
  now?: () => number;
};

/**
 * Is the database reachable? That is all a load balancer should learn from /health/ready: asking
 * the pool, as it did, queued the check behind every busy request, so a busy instance failed it and
 * was pulled. Under load the pool's own traffic is the proof (connections keep coming back in good
 * order), so the answer costs nothing; when there has been no such traffic lately the probe asks for
 * itself, through the pool if a connection is free, else on a connection of its own that waits for
 * no one.
 */
export function createReadinessProbe(pool: pg.Pool, options: ReadinessOptions = {}): ReadinessProbe {
  const freshForMs = options.freshForMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const now = options.now ?? (() => performance.now());
  let lastGoodAt = -Infinity;
  let lastWasGood = false;
  let probing: Promise<boolean> | null = null;

  // A connection released with an error is one that failed; released without one, it worked.
  pool.on('release', (error) => {
    lastWasGood = !error;
    if (!error) lastGoodAt = now();
  });

  const probe = async () => {
    const free = pool.idleCount > 0 || pool.totalCount < (pool.options.max ?? 10);
    const ok = await withTimeout(free ? pool.query('select 1').then(() => true) : ownConnection(pool, timeoutMs), timeoutMs);
    if (ok) lastGoodAt = now();
    lastWasGood = ok;
    return ok;
  };

  return {
    async isReady() {
      if (pool.ended) return false;
      if (lastWasGood && now() - lastGoodAt < freshForMs) return true;
      probing ??= probe().finally(() => (probing = null));
      return probing;
    },
  };
}

async function ownConnection(pool: pg.Pool, timeoutMs: number) {
  const { max: _max, idleTimeoutMillis: _idle, ...settings } = pool.options;
  const client = new pg.Client({ ...settings, connectionTimeoutMillis: timeoutMs, application_name: 'concord readiness' });
  // A connection lost after the answer must not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } finally {
    void client.end().catch(() => undefined);
  }
}

async function withTimeout(check: Promise<boolean>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([check.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
