import type { Services } from '../services.js';
import { DEMO_PARTNERSHIP, DEMO_SIGN_INS } from './partnership.js';
import { loadDemoReferrals } from './referrals.js';

/** Synthetic and published in the README: this is a demonstration, never a real deployment's password. */
export const DEMO_PASSWORD = 'Northshire-demo-2026';

export async function loadDemoPartnership(services: Services) {
  if (services.config.env === 'production') throw new Error('The demo partnership is never loaded in production.');
  const directory = await services.directory.importPartnership(DEMO_PARTNERSHIP, DEMO_PASSWORD, 'demo partnership');
  const casework = await loadDemoReferrals(services);
  return { ...directory, ...casework };
}

/** Loads the demo only into an empty database, so it never mixes with real records. */
export async function loadDemoPartnershipIfEmpty(services: Services) {
  const empty = await services.directory.isEmpty();
  if (empty) await loadDemoPartnership(services);
  const present = empty || (await services.directory.findAccountByEmail(DEMO_SIGN_INS[0][0])) !== null;
  if (!present) return null;
  return {
    loadedNow: empty,
    password: DEMO_PASSWORD,
    signIns: DEMO_SIGN_INS.map(([email, description]) => ({ email, description })),
  };
}
