import type { Services } from '../services.js';
import { withAdvisoryLock } from '../platform/db/advisory-lock.js';
import { DEMO_PARTNERSHIP, DEMO_SIGN_INS, DEMO_TEAMS_NOT_TAKING_REFERRALS } from './partnership.js';
import { loadDemoReferrals } from './referrals.js';

/** Synthetic and published in the README: this is a demonstration, never a real deployment's password. */
export const DEMO_PASSWORD = 'Northshire-demo-2026';

export async function loadDemoPartnership(services: Services) {
  if (services.config.env === 'production') throw new Error('The demo partnership is never loaded in production.');
  const directory = await services.directory.importPartnership(DEMO_PARTNERSHIP, DEMO_PASSWORD, 'demo partnership');
  await setUpTeamsNotTakingReferrals(services);
  const casework = await loadDemoReferrals(services);
  return { ...directory, ...casework };
}

async function setUpTeamsNotTakingReferrals(services: Services) {
  const administrator = await services.directory.findAccountByEmail(DEMO_SIGN_INS[0][0]);
  const actor = administrator && (await services.directory.loadActor(administrator.userId, null, { kind: 'session', sessionId: 'demo' }));
  if (!actor) throw new Error('The demo partnership needs its administrator');
  const teams = await services.directory.listAllTeams(actor);
  const closed = teams.filter((t) => DEMO_TEAMS_NOT_TAKING_REFERRALS.includes(`${t.agencyName}/${t.name}`));
  if (closed.length !== DEMO_TEAMS_NOT_TAKING_REFERRALS.length) throw new Error('The demo names a team that is not in the demo partnership');
  await services.referrals.setUpNotTakingReferrals(closed.map((t) => ({ teamId: t.id, agencyId: t.agencyId })), 'demo partnership');
}

// Any fixed number: every Concord instance agrees on it (the migrations' lock is 724_110_001).
const DEMO_LOAD_LOCK = 724_110_002;

/**
 * Loads the demo only into an empty database, so it never mixes with real records. Instances
 * started together on one empty database take turns: the first loads it, the others wait and then
 * find it there, instead of each seeing "empty" and loading it again.
 */
export async function loadDemoPartnershipIfEmpty(services: Services) {
  const empty = await withAdvisoryLock(services.db.$client, DEMO_LOAD_LOCK, async () => {
    const found = await services.directory.isEmpty();
    if (found) await loadDemoPartnership(services);
    return found;
  });
  const present = empty || (await services.directory.findAccountByEmail(DEMO_SIGN_INS[0][0])) !== null;
  if (!present) return null;
  return {
    loadedNow: empty,
    password: DEMO_PASSWORD,
    signIns: DEMO_SIGN_INS.map(([email, description]) => ({ email, description })),
  };
}
