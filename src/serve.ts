import pino from 'pino';
import type { Config } from './config.js';
import { buildConcord, openDatabase } from './concord.js';
import { systemClock } from './platform/clocks/clock.js';
import { loggerOptions } from './platform/logging.js';
import { startWorker } from './platform/jobs/worker.js';
import { loadDemoPartnershipIfEmpty } from './demo/load.js';
import { buildAssets } from '../scripts/build-assets.js';

/** Starts Concord: config → database → app → listen, and stops it cleanly on SIGINT/SIGTERM. */
export async function serve(config: Config, options: { demoIfEmpty?: boolean } = {}) {
  const startedAt = performance.now();
  const log = pino(loggerOptions(config.logLevel));
  buildAssets();
  log.info({ embedded: !config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir }, 'opening the database');
  const database = await openDatabase(config, (line) => log.debug({ postgres: line }));
  const { app, services } = await buildConcord(database, systemClock, config, loggerOptions(config.logLevel));
  const demo = options.demoIfEmpty ? await loadDemoPartnershipIfEmpty(services) : null;
  const worker = config.worker.enabled ? startWorker(services, config.worker, log) : null;
  const address = await app.listen({ host: config.host, port: config.port });
  const readyMs = Math.round(performance.now() - startedAt);
  log.info({ readyMs }, 'Concord is ready');
  printWelcome(address, demo, config);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await worker?.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return { app, services, database, address, readyMs, stop };
}

function printWelcome(address: string, demo: Awaited<ReturnType<typeof loadDemoPartnershipIfEmpty>> | null, config: Config) {
  const lines = [``, `  Concord is running at ${address.replace('127.0.0.1', 'localhost')}`];
  if (!config.databaseUrl) lines.push(`  Data: embedded PostgreSQL in ${config.dataDir}`);
  if (demo) {
    lines.push(``, `  Demo partnership ${demo.loadedNow ? 'loaded' : 'already present'}. Sign in as any of these (password: ${demo.password}):`);
    for (const user of demo.signIns) lines.push(`    ${user.email.padEnd(40)} ${user.description}`);
  }
  lines.push(``, `  Stop with Ctrl+C.`, ``);
  console.log(lines.join('\n'));
}
