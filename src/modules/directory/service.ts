import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/access/actor.js';
import { auditActorOf } from '../../platform/access/actor.js';
import { hasPermission } from '../../platform/access/decide.js';
import type { AccessGuard } from '../../platform/access/guard.js';
import { ROLES, type Role } from '../../platform/access/policy.js';
import { actorFromRow, type ActorSource } from '../../platform/auth/actor-source.js';
import type { AuditTrail, RecordEvent } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { conflict, DomainError, forbidden, invalid, notFound } from '../../platform/errors.js';
import { fieldErrorsOf, parseOrThrow } from '../../platform/validation.js';
import { passwordProblem } from '../../platform/auth/passwords.js';
import {
  accountChangeRefusal,
  agencyInput,
  canEndMembership,
  changedSinceOpened,
  membershipInput,
  newUserInput,
  privilegeRefusal,
  sensitiveRolesTouched,
  switchRefusal,
  teamInput,
  userInput,
  versioned,
  type AccountChange,
  type AgencyInput,
  type MembershipChange,
  type PrivilegeRefusal,
} from './rules.js';
import { agency, appUser, team, teamMembership } from './schema.js';
import * as store from './store.js';

/** What the directory needs from authentication: ending access at once, and setting passwords. */
export type CredentialKeeper = {
  endAccess(tx: Queryable, userId: string): Promise<{ sessions: number; tokens: number }>;
  setPassword(tx: Queryable, userId: string, password: string, context: { email?: string; name?: string }): Promise<string | null>;
  /** Revokes the user's tokens acting for this team: they must not start acting for another of the user's teams. */
  revokeTokens(tx: Queryable, userId: string, teamId: string): Promise<number>;
};

/** A change to sensitive roles, for the Caldicott guardian: whose access changed, by whom, and how. */
export type RoleChangeNotice = MembershipChange & { changedBy: string; membershipId: string; teamId: string; sensitive: Role[] };

/** What the directory needs from access review: an alert raised in the same transaction as the change. */
export type RoleChangeAlerts = {
  raiseRoleChangeAlert(tx: Queryable, record: RecordEvent, change: RoleChangeNotice): Promise<unknown>;
};

const agencyChange = agencyInput.extend(versioned.shape);
const teamChange = teamInput.extend(versioned.shape);
const userChange = userInput.extend(versioned.shape);
const rolesChange = membershipInput.pick({ roles: true }).extend(versioned.shape);

function isUniqueViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } })?.cause ?? error;
  return (cause as { code?: string })?.code === '23505';
}

export class DirectoryService implements ActorSource {
  private credentials: CredentialKeeper | undefined;
  private alerts: RoleChangeAlerts | undefined;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditTrail,
    private readonly guard: AccessGuard,
    private readonly clock: Clock,
  ) {}

  /** Authentication and the directory each need the other; this closes the loop at wiring time. */
  useCredentials(keeper: CredentialKeeper) {
    this.credentials = keeper;
  }

  /** Access review is built after the directory (it reads names from it); this closes that loop too. */
  useAlerts(alerts: RoleChangeAlerts) {
    this.alerts = alerts;
  }

  private get keeper(): CredentialKeeper {
    if (!this.credentials) throw new Error('DirectoryService used before useCredentials() was called');
    return this.credentials;
  }

  // ---- ActorSource -------------------------------------------------------------------------

  async findAccountByEmail(email: string) {
    const user = await store.findUserByEmail(this.db, email.trim().toLowerCase());
    return user ? { userId: user.id, name: user.name, agencyId: user.agencyId, active: user.active } : null;
  }

  async loadActor(userId: string, teamId: string | null, via: Actor['via']): Promise<Actor | null> {
    return actorFromRow(await store.loadActorRow(this.db, userId, teamId), via);
  }

  actorSql(userId: SQL, teamId: SQL): SQL {
    return store.actorSql(userId, teamId);
  }

  actingOptions(actor: Actor) {
    return store.actingOptions(this.db, actor.userId);
  }

  // ---- Agencies ----------------------------------------------------------------------------

  async listAgencies(actor: Actor) {
    await this.guard.require(actor, 'directory.view');
    return store.listAgencies(this.db);
  }

  async getAgency(actor: Actor, id: string) {
    await this.guard.require(actor, 'directory.view');
    const found = await store.findAgency(this.db, id);
    if (!found) throw notFound('DIRECTORY.AGENCY_NOT_FOUND', 'There is no agency with that reference.');
    const teams = await store.listTeams(this.db, id);
    return { ...found, teams, canManage: this.canManage(actor, id) };
  }

  /**
   * Refuses, and records the refusal, before a management form is shown to someone who could not
   * send it: the same decision the write itself makes.
   */
  async requireManagerOf(actor: Actor, agencyId: string, subject: { type: string; id: string }) {
    await this.guard.require(actor, 'directory.manage', { agencyId }, subject);
  }

  canManage(actor: Actor, agencyId: string): boolean {
    return hasPermission(actor, 'directory.manage') && (actor.roles.includes('partnership_administrator') || actor.agencyId === agencyId);
  }

  async createAgency(actor: Actor, input: unknown) {
    await this.guard.require(actor, 'directory.manage_agencies');
    const values = parseOrThrow(agencyInput, input, 'DIRECTORY.AGENCY_INVALID');
    const now = this.clock.now();
    return this.writeUnique('name', 'An agency with that name is already in the partnership', () =>
      this.audit.transaction(auditActorOf(actor), async (tx, record) => {
        const [row] = await tx.insert(agency).values({ ...values, createdAt: now, updatedAt: now }).returning();
        record({ action: 'directory.agency_created', subject: { type: 'agency', id: row!.id }, details: { ...values } });
        return row!;
      }),
    );
  }

  async updateAgency(actor: Actor, id: string, input: unknown) {
    await this.guard.require(actor, 'directory.manage_agencies', {}, { type: 'agency', id });
    const { version, ...values } = parseOrThrow(agencyChange, input, 'DIRECTORY.AGENCY_INVALID');
    return this.writeUnique('name', 'An agency with that name is already in the partnership', () =>
      this.audit.transaction(auditActorOf(actor), async (tx, record) => {
        const before = await store.findAgency(tx, id);
        if (!before) throw notFound('DIRECTORY.AGENCY_NOT_FOUND', 'There is no agency with that reference.');
        const [row] = await tx
          .update(agency)
          .set({ ...values, updatedAt: this.clock.now(), version: sql`${agency.version} + 1` })
          .where(and(eq(agency.id, id), eq(agency.version, version)))
          .returning();
        if (!row) throw changed('This agency');
        record({ action: 'directory.agency_updated', subject: { type: 'agency', id }, details: { changes: changesBetween(before, values) } });
        return row!;
      }),
    );
  }

  async setAgencyActive(actor: Actor, id: string, active: boolean) {
    await this.guard.require(actor, 'directory.manage_agencies', {}, { type: 'agency', id });
    await this.requireSwitch(actor, 'agency', id, active);
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const [row] = await tx.update(agency).set({ active, updatedAt: this.clock.now(), version: sql`${agency.version} + 1` }).where(eq(agency.id, id)).returning();
      if (!row) throw notFound('DIRECTORY.AGENCY_NOT_FOUND', 'There is no agency with that reference.');
      record({ action: active ? 'directory.agency_reactivated' : 'directory.agency_deactivated', subject: { type: 'agency', id } });
      return row;
    });
  }

  /**
   * Names and contact details of agencies, teams and staff, for other parts of Concord to show
   * ("known to Riverside CMHT, coordinator Tom Okafor"). Staff details are not a person's record.
   */
  namesFor(ids: { agencyIds?: string[]; teamIds?: string[]; userIds?: string[] }, db: Queryable = this.db) {
    const unique = (list?: string[]) => (list ? [...new Set(list)] : undefined);
    return store.namesFor(db, { agencyIds: unique(ids.agencyIds), teamIds: unique(ids.teamIds), userIds: unique(ids.userIds) });
  }

  /** Names read in the same statement as other rows (see store.namesAlongside), for a page that reads everything at once. */
  readonly namesAlongside = store.namesAlongside;
  readonly namesFromRead = store.namesFromRead;

  /** An active team in an active agency that a referral can be sent to, or null. */
  async getTeamForReferral(teamId: string) {
    const found = await store.findTeam(this.db, teamId);
    if (!found?.active) return null;
    const owner = await store.findAgency(this.db, found.agencyId);
    return owner?.active ? { id: found.id, name: found.name, agencyId: found.agencyId, agencyName: owner.name } : null;
  }

  /** Active members of a team who hold any of these roles there (e.g. the care coordinators a manager can allocate). */
  async activeMembersWithRoles(teamId: string, roles: Role[]) {
    const members = await store.membersOf(this.db, teamId);
    return members.filter((m) => m.roles.some((r) => roles.includes(r as Role))).map((m) => ({ userId: m.userId, name: m.name, email: m.email, roles: m.roles }));
  }

  // ---- Teams -------------------------------------------------------------------------------

  async getTeam(actor: Actor, id: string) {
    await this.guard.require(actor, 'directory.view');
    const found = await store.findTeam(this.db, id);
    if (!found) throw notFound('DIRECTORY.TEAM_NOT_FOUND', 'There is no team with that reference.');
    const members = await store.membersOf(this.db, id);
    const canManage = this.canManage(actor, found.agencyId);
    // Whether this actor may switch it off (or on): its members' roles go (or come back) with it.
    const holders = members.map((m) => ({ userId: m.userId, roles: rolesOf(m.roles) }));
    return { ...found, members, canManage, canSwitch: canManage && switchRefusal(actor, holders, !found.active) === null };
  }

  async listTeams(actor: Actor, agencyId: string) {
    await this.guard.require(actor, 'directory.view');
    return store.listTeams(this.db, agencyId);
  }

  /** Every team in the partnership, for choosing one in a search filter. */
  async listAllTeams(actor: Actor) {
    await this.guard.require(actor, 'directory.view');
    return store.listAllTeams(this.db);
  }

  async createTeam(actor: Actor, agencyId: string, input: unknown) {
    await this.guard.require(actor, 'directory.manage', { agencyId }, { type: 'agency', id: agencyId });
    const values = parseOrThrow(teamInput, input, 'DIRECTORY.TEAM_INVALID');
    const owner = await store.findAgency(this.db, agencyId);
    if (!owner) throw notFound('DIRECTORY.AGENCY_NOT_FOUND', 'There is no agency with that reference.');
    if (!owner.active) throw conflict('DIRECTORY.AGENCY_INACTIVE', `${owner.name} is deactivated: reactivate it before adding teams.`);
    const now = this.clock.now();
    return this.writeUnique('name', `${owner.name} already has a team with that name`, () =>
      this.audit.transaction(auditActorOf(actor), async (tx, record) => {
        const [row] = await tx.insert(team).values({ ...values, agencyId, createdAt: now, updatedAt: now }).returning();
        record({ action: 'directory.team_created', subject: { type: 'team', id: row!.id }, details: { agencyId, ...values } });
        return row!;
      }),
    );
  }

  async updateTeam(actor: Actor, id: string, input: unknown) {
    const existing = await store.findTeam(this.db, id);
    if (!existing) throw notFound('DIRECTORY.TEAM_NOT_FOUND', 'There is no team with that reference.');
    await this.guard.require(actor, 'directory.manage', { agencyId: existing.agencyId }, { type: 'team', id });
    const { version, ...values } = parseOrThrow(teamChange, input, 'DIRECTORY.TEAM_INVALID');
    return this.writeUnique('name', `${existing.agencyName} already has a team with that name`, () =>
      this.audit.transaction(auditActorOf(actor), async (tx, record) => {
        const [row] = await tx
          .update(team)
          .set({ ...values, updatedAt: this.clock.now(), version: sql`${team.version} + 1` })
          .where(and(eq(team.id, id), eq(team.version, version)))
          .returning();
        if (!row) throw changed('This team');
        record({ action: 'directory.team_updated', subject: { type: 'team', id }, details: { changes: changesBetween(existing, values) } });
        return row!;
      }),
    );
  }

  async setTeamActive(actor: Actor, id: string, active: boolean) {
    const existing = await store.findTeam(this.db, id);
    if (!existing) throw notFound('DIRECTORY.TEAM_NOT_FOUND', 'There is no team with that reference.');
    await this.guard.require(actor, 'directory.manage', { agencyId: existing.agencyId }, { type: 'team', id });
    await this.requireSwitch(actor, 'team', id, active);
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const [row] = await tx.update(team).set({ active, updatedAt: this.clock.now(), version: sql`${team.version} + 1` }).where(eq(team.id, id)).returning();
      record({ action: active ? 'directory.team_reactivated' : 'directory.team_deactivated', subject: { type: 'team', id } });
      return row!;
    });
  }

  // ---- Users -------------------------------------------------------------------------------

  async listUsers(actor: Actor, filters: Omit<store.UserFilters, 'inactiveOf'> & { includeInactive?: boolean }) {
    await this.guard.require(actor, 'directory.view');
    // Inactive accounts are an administrator's concern; everyone else sees the working directory.
    // Deactivated accounts are an administrator's concern, and only within the agencies they manage.
    const wantsInactive = Boolean(filters.includeInactive) && hasPermission(actor, 'directory.manage');
    const inactiveOf = !wantsInactive ? null : actor.roles.includes('partnership_administrator') ? 'all' : actor.agencyId;
    const { includeInactive: _asked, ...rest } = filters;
    return store.listUsers(this.db, { ...rest, inactiveOf });
  }

  async getUser(actor: Actor, id: string) {
    await this.guard.require(actor, 'directory.view');
    const user = await store.findUser(this.db, id);
    if (!user) throw notFound('DIRECTORY.USER_NOT_FOUND', 'There is no user with that reference.');
    const canManage = this.canManage(actor, user.agencyId);
    if (!user.active && !canManage) throw notFound('DIRECTORY.USER_NOT_FOUND', 'There is no user with that reference.');
    const memberships = await store.membershipsOf(this.db, id, !canManage);
    const owner = await store.findAgency(this.db, user.agencyId);
    // The account-wide actions this actor may take, so the page offers only those.
    const account = { userId: id, roles: rolesOf(memberships.filter((m) => m.active).flatMap((m) => m.roles)) };
    const mayChange = (change: AccountChange) => canManage && accountChangeRefusal(actor, account, change) === null;
    return { ...user, agencyName: owner?.name ?? '', memberships, canManage, canChangeAccount: mayChange('details'), canSetPassword: mayChange('password') };
  }

  async createUser(actor: Actor, agencyId: string, input: unknown) {
    const password = typeof (input as { password?: unknown })?.password === 'string' ? (input as { password: string }).password : '';
    // Every problem at once, the password's included, so the form is corrected in one go.
    const parsed = newUserInput.safeParse(input);
    const passwordIssue = passwordProblem(password, { email: parsed.success ? parsed.data.email : undefined });
    const problems = [...(parsed.success ? [] : fieldErrorsOf(parsed.error)), ...(passwordIssue ? [{ field: 'password', message: passwordIssue }] : [])];
    if (!parsed.success || problems.length) throw invalid('DIRECTORY.USER_INVALID', problems);
    const values = parsed.data;
    await this.guard.require(actor, 'directory.manage', { agencyId, grantsRoles: values.roles }, { type: 'agency', id: agencyId });
    // A new account is nobody's own yet: only the roles it is given are checked.
    await this.requirePrivilege(actor, { kind: 'add', subjectUserId: '', before: [], after: values.roles }, { type: 'agency', id: agencyId });
    const target = await store.findTeam(this.db, values.teamId);
    if (!target || target.agencyId !== agencyId) {
      throw invalid('DIRECTORY.USER_INVALID', [{ field: 'teamId', message: 'Select a team in this agency' }]);
    }
    if (!target.active) throw invalid('DIRECTORY.USER_INVALID', [{ field: 'teamId', message: 'That team is deactivated: select an active team' }]);
    const now = this.clock.now();
    return this.writeUnique('email', 'A user with that email address already exists', () =>
      this.audit.transaction(auditActorOf(actor), async (tx, record) => {
        const [user] = await tx
          .insert(appUser)
          .values({ agencyId, email: values.email, name: values.name, jobTitle: values.jobTitle, phone: values.phone, createdAt: now, updatedAt: now })
          .returning();
        const problem = await this.keeper.setPassword(tx, user!.id, password, { email: values.email, name: values.name });
        if (problem) throw invalid('DIRECTORY.USER_INVALID', [{ field: 'password', message: problem }]);
        const [membership] = await tx.insert(teamMembership).values({ userId: user!.id, teamId: values.teamId, roles: values.roles, createdAt: now }).returning();
        await this.alertIfSensitive(tx, record, actor, { kind: 'add', subjectUserId: user!.id, before: [], after: values.roles }, membership!);
        record({
          action: 'directory.user_created',
          subject: { type: 'user', id: user!.id },
          details: { agencyId, email: values.email, name: values.name, teamId: values.teamId, roles: values.roles, membershipId: membership!.id },
        });
        return user!;
      }),
    );
  }

  async updateUser(actor: Actor, id: string, input: unknown) {
    const existing = await this.requireManagedUser(actor, id);
    await this.requireAccountChange(actor, id, 'details');
    const { version, ...values } = parseOrThrow(userChange, input, 'DIRECTORY.USER_INVALID');
    return this.writeUnique('email', 'A user with that email address already exists', () =>
      this.audit.transaction(auditActorOf(actor), async (tx, record) => {
        const [row] = await tx
          .update(appUser)
          .set({ ...values, updatedAt: this.clock.now(), version: sql`${appUser.version} + 1` })
          .where(and(eq(appUser.id, id), eq(appUser.version, version)))
          .returning();
        if (!row) throw changed('This user');
        record({ action: 'directory.user_updated', subject: { type: 'user', id }, details: { changes: changesBetween(existing, values) } });
        return row!;
      }),
    );
  }

  /** Deactivation ends every session and API token of the user in the same transaction: access stops at once. */
  async deactivateUser(actor: Actor, id: string) {
    const existing = await this.requireManagedUser(actor, id);
    if (id === actor.userId) throw conflict('DIRECTORY.CANNOT_DEACTIVATE_SELF', 'You cannot deactivate your own account. Ask another administrator.');
    await this.requireAccountChange(actor, id, 'deactivate');
    if (!existing.active) throw conflict('DIRECTORY.USER_ALREADY_INACTIVE', `${existing.name} is already deactivated.`);
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const now = this.clock.now();
      await tx.update(appUser).set({ active: false, deactivatedAt: now, updatedAt: now, version: sql`${appUser.version} + 1` }).where(eq(appUser.id, id));
      const ended = await this.keeper.endAccess(tx, id);
      record({ action: 'directory.user_deactivated', subject: { type: 'user', id }, details: { sessionsEnded: ended.sessions, tokensRevoked: ended.tokens } });
      return ended;
    });
  }

  async reactivateUser(actor: Actor, id: string) {
    const existing = await this.requireManagedUser(actor, id);
    await this.requireAccountChange(actor, id, 'reactivate');
    if (existing.active) throw conflict('DIRECTORY.USER_ALREADY_ACTIVE', `${existing.name} is already active.`);
    await this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      await tx.update(appUser).set({ active: true, deactivatedAt: null, updatedAt: this.clock.now(), version: sql`${appUser.version} + 1` }).where(eq(appUser.id, id));
      record({ action: 'directory.user_reactivated', subject: { type: 'user', id } });
    });
  }

  async resetPassword(actor: Actor, id: string, password: unknown) {
    const existing = await this.requireManagedUser(actor, id);
    await this.requireAccountChange(actor, id, 'password');
    await this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const problem = await this.keeper.setPassword(tx, id, typeof password === 'string' ? password : '', existing);
      if (problem) throw invalid('DIRECTORY.PASSWORD_INVALID', [{ field: 'password', message: problem }]);
      // A reset is often done because an account may be compromised: end what is open now.
      await this.keeper.endAccess(tx, id);
      record({ action: 'directory.password_reset', subject: { type: 'user', id } });
    });
  }

  // ---- Memberships -------------------------------------------------------------------------

  async addMembership(actor: Actor, userId: string, input: unknown) {
    const user = await this.requireManagedUser(actor, userId);
    const values = parseOrThrow(membershipInput, input, 'DIRECTORY.MEMBERSHIP_INVALID');
    await this.guard.require(actor, 'directory.manage', { agencyId: user.agencyId, grantsRoles: values.roles }, { type: 'user', id: userId });
    const change: MembershipChange = { kind: 'add', subjectUserId: userId, before: [], after: values.roles };
    await this.requirePrivilege(actor, change, { type: 'user', id: userId });
    const target = await store.findTeam(this.db, values.teamId);
    if (!target || target.agencyId !== user.agencyId || !target.active) {
      throw invalid('DIRECTORY.MEMBERSHIP_INVALID', [{ field: 'teamId', message: `Select an active team in ${user.name}’s agency` }]);
    }
    return this.writeUnique('teamId', `${user.name} is already a member of ${target.name}`, () =>
      this.audit.transaction(auditActorOf(actor), async (tx, record) => {
        const [row] = await tx.insert(teamMembership).values({ userId, teamId: values.teamId, roles: values.roles, createdAt: this.clock.now() }).returning();
        await this.alertIfSensitive(tx, record, actor, change, row!);
        record({ action: 'directory.membership_added', subject: { type: 'user', id: userId }, details: { membershipId: row!.id, teamId: values.teamId, roles: values.roles } });
        return row!;
      }),
    );
  }

  /** New roles for a membership, made against the version of it the editor read. */
  async changeRoles(actor: Actor, membershipId: string, input: unknown) {
    const membership = await this.requireManagedMembership(actor, membershipId);
    const { version, roles } = parseOrThrow(rolesChange, input, 'DIRECTORY.MEMBERSHIP_INVALID');
    const values = { roles };
    await this.guard.require(actor, 'directory.manage', { agencyId: membership.agencyId, grantsRoles: values.roles }, { type: 'user', id: membership.userId });
    const change: MembershipChange = { kind: 'change', subjectUserId: membership.userId, before: rolesOf(membership.roles), after: values.roles };
    await this.requirePrivilege(actor, change, { type: 'user', id: membership.userId });
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const [row] = await tx
        .update(teamMembership)
        .set({ roles: values.roles, version: sql`${teamMembership.version} + 1` })
        .where(and(eq(teamMembership.id, membershipId), eq(teamMembership.active, true), eq(teamMembership.version, version)))
        .returning();
      if (!row) throw changed('This membership');
      // The roles the alert and the audit name are those replaced, read under the row's lock.
      await this.alertIfSensitive(tx, record, actor, change, membership);
      record({
        action: 'directory.membership_changed',
        subject: { type: 'user', id: membership.userId },
        details: { membershipId, teamId: membership.teamId, before: membership.roles, after: values.roles },
      });
    });
  }

  /** A current membership with the names its forms show, for someone who may change it. */
  async getManagedMembership(actor: Actor, membershipId: string) {
    const membership = await this.requireManagedMembership(actor, membershipId);
    const [user, home, activeCount] = await Promise.all([
      store.findUser(this.db, membership.userId),
      store.findTeam(this.db, membership.teamId),
      store.countActiveMemberships(this.db, membership.userId),
    ]);
    return { ...membership, userName: user!.name, teamName: home!.name, agencyName: home!.agencyName, canEnd: canEndMembership(activeCount) };
  }

  async endMembership(actor: Actor, membershipId: string) {
    const membership = await this.requireManagedMembership(actor, membershipId);
    const change: MembershipChange = { kind: 'end', subjectUserId: membership.userId, before: rolesOf(membership.roles), after: [] };
    await this.requirePrivilege(actor, change, { type: 'user', id: membership.userId });
    const activeCount = await store.countActiveMemberships(this.db, membership.userId);
    if (!canEndMembership(activeCount)) {
      throw conflict('DIRECTORY.LAST_MEMBERSHIP', 'This is the user’s only team. Add them to another team first, or deactivate the user.');
    }
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      await tx.update(teamMembership).set({ active: false, endedAt: this.clock.now(), version: sql`${teamMembership.version} + 1` }).where(eq(teamMembership.id, membershipId));
      await this.alertIfSensitive(tx, record, actor, change, membership);
      const tokensRevoked = await this.keeper.revokeTokens(tx, membership.userId, membership.teamId);
      record({ action: 'directory.membership_ended', subject: { type: 'user', id: membership.userId }, details: { membershipId, teamId: membership.teamId, tokensRevoked } });
    });
  }

  // ---- Bulk import (demo partnership, onboarding) -------------------------------------------

  /** True when the directory has no agencies yet: a new installation. */
  async isEmpty(): Promise<boolean> {
    const [row] = await this.db.select({ id: agency.id }).from(agency).limit(1);
    return !row;
  }

  /**
   * Loads a whole partnership in one transaction, as the system (not a signed-in user), with one audit
   * event per record. Every user gets the same initial password, which must meet the password policy.
   */
  async importPartnership(data: PartnershipImport, password: string, source: string) {
    const now = this.clock.now();
    return this.audit.transaction(null, async (tx, record) => {
      const agencyIds = new Map<string, string>();
      const teamIds = new Map<string, string>();
      for (const a of data.agencies) {
        const values = parseOrThrow(agencyInput, a, 'DIRECTORY.IMPORT_INVALID');
        const [row] = await tx.insert(agency).values({ ...values, createdAt: now, updatedAt: now }).returning();
        agencyIds.set(a.name, row!.id);
        record({ action: 'directory.agency_created', subject: { type: 'agency', id: row!.id }, details: { ...values, source } });
        for (const t of a.teams) {
          const teamValues = parseOrThrow(teamInput, t, 'DIRECTORY.IMPORT_INVALID');
          const [teamRow] = await tx.insert(team).values({ ...teamValues, agencyId: row!.id, createdAt: now, updatedAt: now }).returning();
          teamIds.set(`${a.name}/${t.name}`, teamRow!.id);
          record({ action: 'directory.team_created', subject: { type: 'team', id: teamRow!.id }, details: { agencyId: row!.id, ...teamValues, source } });
        }
      }
      for (const u of data.users) {
        const agencyId = agencyIds.get(u.agency);
        if (!agencyId) throw new Error(`Import names an agency it does not define: ${u.agency}`);
        const values = parseOrThrow(userInput, u, 'DIRECTORY.IMPORT_INVALID');
        const active = u.active ?? true;
        const [user] = await tx
          .insert(appUser)
          .values({ ...values, agencyId, active, deactivatedAt: active ? null : now, createdAt: now, updatedAt: now })
          .returning();
        const problem = await this.keeper.setPassword(tx, user!.id, password, {});
        if (problem) throw new Error(`The import password is not acceptable: ${problem}`);
        for (const m of u.memberships) {
          const teamId = teamIds.get(`${u.agency}/${m.team}`);
          if (!teamId) throw new Error(`Import names a team it does not define: ${u.agency}/${m.team}`);
          await tx.insert(teamMembership).values({ userId: user!.id, teamId, roles: m.roles, createdAt: now });
        }
        record({ action: 'directory.user_created', subject: { type: 'user', id: user!.id }, details: { agencyId, email: values.email, memberships: u.memberships, source } });
      }
      return { agencies: agencyIds.size, teams: teamIds.size, users: data.users.length };
    });
  }

  /**
   * For the first administrator of a new installation (or recovery): adds a user as the system,
   * creating their agency and team when they do not exist yet.
   */
  async createUserFromCommandLine(
    input: { agency: string; agencyType: AgencyInput['type']; team: string; email: string; name: string; roles: Role[] },
    password: string,
  ) {
    const now = this.clock.now();
    const user = parseOrThrow(userInput, { email: input.email, name: input.name }, 'DIRECTORY.USER_INVALID');
    const roles = parseOrThrow(membershipInput.shape.roles, input.roles, 'DIRECTORY.USER_INVALID');
    return this.writeUnique('email', 'A user with that email address already exists', () =>
      this.audit.transaction(null, async (tx, record) => {
        let [owner] = await tx.select().from(agency).where(eq(agency.name, input.agency)).limit(1);
        if (!owner) {
          const values = parseOrThrow(agencyInput, { name: input.agency, type: input.agencyType }, 'DIRECTORY.AGENCY_INVALID');
          [owner] = await tx.insert(agency).values({ ...values, createdAt: now, updatedAt: now }).returning();
          record({ action: 'directory.agency_created', subject: { type: 'agency', id: owner!.id }, details: { ...values, source: 'command line' } });
        }
        let [home] = await tx.select().from(team).where(and(eq(team.agencyId, owner!.id), eq(team.name, input.team))).limit(1);
        if (!home) {
          const values = parseOrThrow(teamInput, { name: input.team }, 'DIRECTORY.TEAM_INVALID');
          [home] = await tx.insert(team).values({ ...values, agencyId: owner!.id, createdAt: now, updatedAt: now }).returning();
          record({ action: 'directory.team_created', subject: { type: 'team', id: home!.id }, details: { ...values, agencyId: owner!.id, source: 'command line' } });
        }
        const [row] = await tx.insert(appUser).values({ ...user, agencyId: owner!.id, createdAt: now, updatedAt: now }).returning();
        const problem = await this.keeper.setPassword(tx, row!.id, password, user);
        if (problem) throw invalid('DIRECTORY.PASSWORD_INVALID', [{ field: 'password', message: problem }]);
        await tx.insert(teamMembership).values({ userId: row!.id, teamId: home!.id, roles, createdAt: now });
        record({ action: 'directory.user_created', subject: { type: 'user', id: row!.id }, details: { email: user.email, teamId: home!.id, roles, source: 'command line' } });
        return row!;
      }),
    );
  }

  // ---- helpers -----------------------------------------------------------------------------

  private async requireManagedUser(actor: Actor, id: string) {
    const user = await store.findUser(this.db, id);
    if (!user) throw notFound('DIRECTORY.USER_NOT_FOUND', 'There is no user with that reference.');
    await this.guard.require(actor, 'directory.manage', { agencyId: user.agencyId }, { type: 'user', id });
    return user;
  }

  private async requireManagedMembership(actor: Actor, membershipId: string) {
    const [row] = await this.db
      .select({ id: teamMembership.id, userId: teamMembership.userId, teamId: teamMembership.teamId, roles: teamMembership.roles, version: teamMembership.version, agencyId: team.agencyId })
      .from(teamMembership)
      .innerJoin(team, eq(team.id, teamMembership.teamId))
      .where(and(eq(teamMembership.id, membershipId), eq(teamMembership.active, true)))
      .limit(1);
    if (!row) throw notFound('DIRECTORY.MEMBERSHIP_NOT_FOUND', 'There is no current team membership with that reference.');
    await this.guard.require(actor, 'directory.manage', { agencyId: row.agencyId }, { type: 'user', id: row.userId });
    return row;
  }

  /**
   * Refuses a change of someone's roles or memberships that the privilege rules forbid (their own, or
   * a partnership-wide role from an agency administrator): a 403 naming the rule, recorded, nothing written.
   */
  private async requirePrivilege(actor: Actor, change: MembershipChange, subject: { type: string; id: string }) {
    await this.refuse(actor, privilegeRefusal(actor, change), subject, { permission: 'directory.manage', change: change.kind, before: change.before, after: change.after });
  }

  /**
   * Refuses, recorded, a change to someone's account (details, password, deactivation, reactivation)
   * that would give or take away roles the actor may not give: see accountChangeRefusal. Public so a
   * form is refused before it is shown, by the same decision.
   */
  async requireAccountChange(actor: Actor, userId: string, change: AccountChange) {
    const roles = rolesOf(await store.rolesHeldBy(this.db, userId));
    await this.refuse(actor, accountChangeRefusal(actor, { userId, roles }, change), { type: 'user', id: userId }, { permission: 'directory.manage', change, roles });
  }

  /** Refuses, recorded, switching off or on a team or agency whose members' roles the actor may not take away or give. */
  async requireSwitch(actor: Actor, kind: 'team' | 'agency', id: string, active: boolean) {
    const rows = kind === 'team' ? await store.membersOf(this.db, id) : await store.membersOfAgency(this.db, id);
    const members = rows.map((m) => ({ userId: m.userId, roles: rolesOf(m.roles) }));
    const permission = kind === 'team' ? 'directory.manage' : 'directory.manage_agencies';
    await this.refuse(actor, switchRefusal(actor, members, active), { type: kind, id }, { permission, change: active ? 'reactivate' : 'deactivate' });
  }

  /** A privilege rule's refusal: a 403 naming the rule, recorded, nothing written. */
  private async refuse(actor: Actor, refusal: PrivilegeRefusal | null, subject: { type: string; id: string }, details: Record<string, unknown>) {
    if (!refusal) return;
    await this.audit.recordNow(auditActorOf(actor), { action: 'access.denied', outcome: 'denied', subject, details: { ...details, rule: refusal.rule, reason: refusal.reason } });
    throw forbidden(refusal.rule, refusal.reason);
  }

  /** A change to a sensitive role raises an alert for the Caldicott guardian, in the change's own transaction. */
  private async alertIfSensitive(tx: Queryable, record: RecordEvent, actor: Actor, change: MembershipChange, membership: { id: string; teamId: string }) {
    const sensitive = sensitiveRolesTouched(change);
    if (sensitive.length === 0) return;
    if (!this.alerts) throw new Error('DirectoryService used before useAlerts() was called');
    await this.alerts.raiseRoleChangeAlert(tx, record, { ...change, changedBy: actor.userId, membershipId: membership.id, teamId: membership.teamId, sensitive });
  }

  /** Turns a unique-constraint race into the same message a pre-check would give. */
  private async writeUnique<T>(field: string, message: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof DomainError || !isUniqueViolation(error)) throw error;
      throw conflict('DIRECTORY.DUPLICATE', message, [{ field, message }]);
    }
  }
}

const changed = (what: string) => conflict('DIRECTORY.CHANGED', changedSinceOpened(what));

/** Roles as stored (text), narrowed to the ones Concord knows. */
const rolesOf = (stored: string[]): Role[] => stored.filter((r): r is Role => (ROLES as readonly string[]).includes(r));

function changesBetween(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, value] of Object.entries(after)) {
    if (before[key] !== value) changes[key] = { from: before[key] ?? null, to: value };
  }
  return changes;
}


export type PartnershipImport = {
  agencies: {
    name: string;
    type: AgencyInput['type'];
    email?: string;
    phone?: string;
    teams: { name: string; description?: string; email?: string; phone?: string }[];
  }[];
  users: {
    email: string;
    name: string;
    jobTitle?: string;
    agency: string;
    active?: boolean;
    memberships: { team: string; roles: Role[] }[];
  }[];
};
