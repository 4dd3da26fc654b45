import { startServer, withDataFolder } from './server.js';
import { seconds, spreadOf } from './stats.js';
import type { Row } from './table.js';

export type StartFigures = { coldMs: number[]; warmMs: number[]; stopMs: number[] };

/**
 * Start-to-ready, `runs` times: a cold start in a new data folder (initdb, migrations, demo load),
 * then, after a clean SIGTERM stop, a warm restart on the same folder.
 */
export async function benchStart(runs = 3): Promise<StartFigures> {
  const figures: StartFigures = { coldMs: [], warmMs: [], stopMs: [] };
  for (let run = 1; run <= runs; run++) {
    await withDataFolder(async (dataDir) => {
      for (const times of [figures.coldMs, figures.warmMs]) {
        const server = await startServer(dataDir);
        times.push(server.readyMs);
        figures.stopMs.push(await server.stop());
      }
    });
    console.log(`  run ${run}/${runs}: cold ${seconds(figures.coldMs.at(-1)!)}, warm ${seconds(figures.warmMs.at(-1)!)}`);
  }
  return figures;
}

export function startRows(figures: StartFigures): Row[] {
  const runs = figures.coldMs.length;
  return [
    { figure: `Cold start to ready (${runs} runs)`, value: spreadOf(figures.coldMs, seconds) },
    { figure: `Warm restart to ready (${runs} runs)`, value: spreadOf(figures.warmMs, seconds) },
    { figure: `Stop, SIGTERM to exit (${figures.stopMs.length} stops)`, value: spreadOf(figures.stopMs, seconds) },
  ];
}
