import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { DEMO_PASSWORD } from '../src/demo/load.js';
import { SignedInClient } from './client.js';
import { loadAverage, machine, replaceSection, type SectionMarkers } from './results.js';
import { startServer, withDataFolder } from './server.js';
import { millis } from './stats.js';
import { consoleTable, markdownTable, type Row } from './table.js';

/**
 * Overload (issue 9, item 4): far more signed-in page loads at once than the pool has connections
 * (200 against 10). Concord should shed what it cannot serve soon with 503 and Retry-After, keep the
 * latency of what it serves bounded, and keep /health/ready at 200 (a load balancer must not pull a
 * healthy, busy instance). Before the shedding, p99 was 15 s with no 503 and readiness flapped.
 */
export const OVERLOAD_SECTION: SectionMarkers = { start: '<!-- overload benchmark: written by `npm run bench -- overload` -->', end: '<!-- end of overload benchmark -->' };
const CONNECTIONS = 200;
const SECONDS = 20;
const DEMO_USER = 'tom.okafor@riverside-nhs.example';

export async function benchOverload(): Promise<Row[]> {
  const loadBefore = loadAverage();
  return withDataFolder(async (dataDir) => {
    await (await startServer(dataDir, { nodeEnv: 'test' })).stop(); // the first start loads the demo
    const server = await startServer(dataDir, { nodeEnv: 'test' });
    try {
      const client = await SignedInClient.signIn(server.baseUrl, DEMO_USER, DEMO_PASSWORD);
      const readiness: number[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const answer = await fetch(`${server.baseUrl}/health/ready`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status, () => 0);
          readiness.push(answer);
          await sleep(250);
        }
      })();
      const result = await autocannon({ url: `${server.baseUrl}/`, connections: CONNECTIONS, duration: SECONDS, headers: { cookie: client.sessionCookie }, timeout: 30 });
      polling = false;
      await poller;
      const byStatus = result.statusCodeStats as unknown as Record<string, { count: number }>;
      const count = (status: string) => byStatus[status]?.count ?? 0;
      const total = Object.values(byStatus).reduce((sum, s) => sum + s.count, 0);
      const rows: Row[] = [
        { figure: `Signed-in home page, ${CONNECTIONS} connections for ${SECONDS} s`, value: `${total} answers, ${(total / SECONDS).toFixed(0)}/s` },
        { figure: 'Served (200)', value: `${count('200')} (${((100 * count('200')) / Math.max(1, total)).toFixed(1)} %)` },
        { figure: 'Shed (503 with Retry-After)', value: `${count('503')} (${((100 * count('503')) / Math.max(1, total)).toFixed(1)} %)` },
        { figure: 'Anything else', value: `${total - count('200') - count('503')}; ${result.errors} errors, ${result.timeouts} timeouts` },
        { figure: 'Latency p50 / p99 / max (all answers)', value: `${millis(result.latency.p50)} / ${millis(result.latency.p99)} / ${millis(result.latency.max)}` },
        { figure: '/health/ready during the load', value: `${readiness.filter((s) => s === 200).length} of ${readiness.length} polls answered 200` },
        { figure: 'Load average (1, 5, 15 min) before; after', value: `${loadBefore}; ${loadAverage()}` },
      ];
      replaceSection(
        OVERLOAD_SECTION,
        `## Overload (\`npm run bench -- overload\`)

- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; machine: ${machine()}
- Embedded PostgreSQL, pool of 10, default shedding thresholds; autocannon with ${CONNECTIONS} connections on \`/\`
  signed in as a care coordinator, while \`/health/ready\` is polled every 250 ms.

${markdownTable(rows)}`,
      );
      console.log(`\n${consoleTable(rows)}\n`);
      return rows;
    } finally {
      await server.stop();
    }
  });
}
