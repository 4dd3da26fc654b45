/**
 * Every URL the referral journey serves, written once. Routes register `.pattern`; handlers and
 * templates call the builder with the ids in the order they appear, e.g. `referralPaths.screen(id)`.
 */
import { path } from '../../platform/http/paths.js';

const intake = path('/referrals/new');

export const referralPaths = {
  intake,
  /** The intake form for a person already found by the people search (REF-8). */
  intakeFor: (personId: string) => `${intake()}?personId=${encodeURIComponent(personId)}`,
  made: path('/referrals/made'),
  settings: path('/referrals/settings'),
  referral: path('/referrals/:referralId'),

  requestInformation: path('/referrals/:referralId/request-information'),
  answer: path('/referrals/:referralId/answer'),
  screen: path('/referrals/:referralId/screen'),
  contact: path('/referrals/:referralId/contact'),
  eligibility: path('/referrals/:referralId/eligibility'),
  waitingList: path('/referrals/:referralId/waiting-list'),
  riskCheck: path('/referrals/:referralId/risk-check'),
  allocate: path('/referrals/:referralId/allocate'),
  withdraw: path('/referrals/:referralId/withdraw'),
  feedback: path('/referrals/:referralId/feedback'),
};

/** Pages of the people module that referral pages link to. */
export const peopleLinks = {
  search: path('/people/search'),
  person: path('/people/:personId'),
};

export const referralApiPaths = {
  referrals: path('/api/v1/referrals'),
  made: path('/api/v1/referrals/made'),
  settings: path('/api/v1/referral-settings'),
  reReferralRate: path('/api/v1/referral-settings/re-referral-rate'),
  referral: path('/api/v1/referrals/:referralId'),
  informationRequests: path('/api/v1/referrals/:referralId/information-requests'),
  informationAnswers: path('/api/v1/referrals/:referralId/information-answers'),
  screening: path('/api/v1/referrals/:referralId/screening'),
  contacts: path('/api/v1/referrals/:referralId/contacts'),
  eligibility: path('/api/v1/referrals/:referralId/eligibility'),
  waitingList: path('/api/v1/referrals/:referralId/waiting-list'),
  riskChecks: path('/api/v1/referrals/:referralId/risk-checks'),
  allocationCandidates: path('/api/v1/referrals/:referralId/allocation-candidates'),
  allocation: path('/api/v1/referrals/:referralId/allocation'),
  withdrawal: path('/api/v1/referrals/:referralId/withdrawal'),
  feedback: path('/api/v1/referrals/:referralId/feedback'),
};
