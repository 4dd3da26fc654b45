import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { Services } from '../../services.js';
import { referralApiPaths, referralPaths } from './paths.js';
import { valuesToShow } from '../directory/rules.js';
import { INFORMATION_ITEMS, serviceSettingsChange } from './rules.js';

const CHANGED = { action: 'referral.service_settings_changed' };
const READ = { none: 'how the manager’s own team takes referrals; no person’s data' };

const settingsResponse = z.object({
  acceptsReferrals: z.boolean(),
  requiredInformation: z.array(z.string()).describe('What a referral must give before the service can decide how to proceed (REF-2)'),
  automaticallyUrgentAgencies: z.array(z.uuid()).describe('Agencies whose referrals are automatically urgent (REF-3)'),
  informationRequestWorkingDays: z.number().int().describe('Working days a referrer has to answer a request for information'),
  waitingRiskCheckDays: z.number().int().describe('Days between risk re-checks while a person waits (WAIT-1)'),
  version: z.number().int().describe('Send it back with a change: a change made since is then refused (409), not overwritten. 0 while none are saved'),
});

type Settings = Awaited<ReturnType<Services['referrals']['ownSettings']>>;
/** The saved settings as the form sends them. */
const asForm = (settings: Settings) => ({
  acceptsReferrals: settings.acceptsReferrals ? 'yes' : 'no',
  requiredInformation: settings.requiredInformation,
  automaticallyUrgentAgencies: settings.automaticallyUrgentAgencies,
  informationRequestWorkingDays: settings.informationRequestWorkingDays,
  waitingRiskCheckDays: settings.waitingRiskCheckDays,
  version: settings.version,
});
/**
 * After a refused save the form shows what was typed, unless the settings changed meanwhile: then what
 * is saved now, so the manager sees the other change before making theirs again.
 */
function showSavedIfChanged(request: FastifyRequest, settings: Settings) {
  if (request.flash?.values) request.flash.values = valuesToShow(request.flash.values, asForm(settings));
}

/** A form posts single values as strings and repeated ones as arrays; the schema wants arrays. */
const asList = (value: unknown) => (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value]);

/**
 * How the manager's team takes referrals (REF-2, REF-3, WAIT-1): what information it requires,
 * which agencies' referrals are automatically urgent, how long a referrer has to answer, how often
 * risk is re-checked while people wait. Local policy differs, so these are the team's to set.
 */
export function serviceSettingsRoutes(services: Services): RouteSpec[] {
  const { referrals, directory } = services;
  const formData = async (actor: ReturnType<typeof actorOf>) => ({
    settings: await referrals.ownSettings(actor),
    reReferrals: await referrals.reReferralRate(actor),
    agencies: (await directory.listAgencies(actor)).filter((a) => a.active && a.id !== actor.agencyId),
    items: Object.entries(INFORMATION_ITEMS).map(([value, text]) => ({ value, text })),
    paths: referralPaths,
  });
  return [
    {
      method: 'GET',
      url: referralPaths.settings.pattern,
      access: { permission: 'referrals.allocate' },
      audit: READ,
      kind: 'page',
      summary: 'How your team takes referrals',
      handler: async (request, reply) => {
        const data = await formData(actorOf(request));
        showSavedIfChanged(request, data.settings);
        return reply.view('referrals/views/settings.njk', data);
      },
    },
    {
      method: 'POST',
      url: referralPaths.settings.pattern,
      access: { permission: 'referrals.allocate' },
      audit: CHANGED,
      kind: 'page',
      summary: 'Change how your team takes referrals',
      handler: async (request, reply) => {
        const form = (request.body ?? {}) as Record<string, unknown>;
        await referrals.updateOwnSettings(actorOf(request), {
          ...form,
          requiredInformation: asList(form.requiredInformation),
          automaticallyUrgentAgencies: asList(form.automaticallyUrgentAgencies),
        });
        return reply.redirectWithNotice(referralPaths.settings(), 'Your team’s referral settings have been saved.');
      },
    },
    {
      method: 'GET',
      url: referralApiPaths.settings.pattern,
      access: { permission: 'referrals.allocate' },
      audit: READ,
      kind: 'api',
      summary: 'How your team takes referrals',
      api: { tags: ['Referrals'], response: settingsResponse },
      handler: async (request) => {
        const { standards: _standards, ...settings } = await referrals.ownSettings(actorOf(request));
        return settings;
      },
    },
    {
      method: 'PUT',
      url: referralApiPaths.settings.pattern,
      access: { permission: 'referrals.allocate' },
      audit: CHANGED,
      kind: 'api',
      summary: 'Change how your team takes referrals',
      api: { tags: ['Referrals'], body: serviceSettingsChange, response: settingsResponse },
      handler: async (request) => referrals.updateOwnSettings(actorOf(request), request.body),
    },
  ];
}
