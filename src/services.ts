import { EntryKinds } from './platform/records/entries.js';
import { noteEntries } from './modules/notes/entry.js';
import { riskReviewEntries } from './modules/risk/entry.js';
import { RiskService } from './modules/risk/service.js';
import { riskReviewSubjects } from './modules/risk/subject.js';
import { assessmentEntries } from './modules/assessments/entry.js';
import { AssessmentsService } from './modules/assessments/service.js';
import { EscalationsService } from './modules/assessments/escalations.js';
import { assessmentSubjects } from './modules/assessments/subject.js';
import type { Config } from './config.js';
import { AccessGuard } from './platform/access/guard.js';
import { recordOpener } from './platform/access/open-record.js';
import { ApiTokens } from './platform/auth/api-tokens.js';
import { Sessions } from './platform/auth/sessions.js';
import { SignIn } from './platform/auth/sign-in.js';
import { AuditTrail } from './platform/audit/trail.js';
import type { Clock } from './platform/clocks/clock.js';
import { Obligations } from './platform/clocks/obligations.js';
import { ObligationSubjects } from './platform/clocks/subjects.js';
import type { Database } from './platform/db/database.js';
import { DirectoryService } from './modules/directory/service.js';
import { CaseReader, CasesService } from './modules/cases/service.js';
import { caseSubjects } from './modules/cases/subject.js';
import { MyWork } from './modules/my-work/service.js';
import { InvolvementService } from './modules/involvement/service.js';
import { NotesService } from './modules/notes/service.js';
import { AccessReviewService } from './modules/access-review/service.js';
import { Transparency } from './modules/access-review/transparency.js';
import { PeopleService } from './modules/people/service.js';
import { ReferralsService } from './modules/referrals/service.js';
import { referralSubjects } from './modules/referrals/subject.js';
import { SharingService } from './modules/sharing/service.js';

export type Services = ReturnType<typeof createServices>;

/** Builds every application service from a database and a clock, so tests can hand in their own. */
export function createServices(db: Database, clock: Clock, config: Pick<Config, 'env' | 'session' | 'signIn' | 'apiTokenMaxDays' | 'accessReview'>) {
  const audit = new AuditTrail(db, clock);
  const guard = new AccessGuard(audit);
  const directory = new DirectoryService(db, audit, guard, clock);
  const sessions = new Sessions(db, clock, config.session, directory);
  const apiTokens = new ApiTokens(db, audit, clock, directory, config.apiTokenMaxDays);
  const signIn = new SignIn(db, audit, clock, directory, sessions, config.signIn);
  directory.useCredentials({
    async endAccess(tx, userId) {
      return { sessions: await sessions.endAllFor(tx, userId), tokens: await apiTokens.revokeAllFor(tx, userId) };
    },
    setPassword: (tx, userId, password, context) => signIn.setPassword(tx, userId, password, context),
    revokeTokens: (tx, userId, teamId) => apiTokens.revokeAllFor(tx, userId, teamId),
  });
  // The kinds of entry on a person's record: each module registers its own, and the access decision,
  // restrictions of single entries and lists of entries across kinds read them from here.
  const entryKinds = new EntryKinds();
  // What deadlines are about: each module registers its own kinds, and every list of deadlines reads them from here.
  const obligationSubjects = new ObligationSubjects();
  obligationSubjects.register(referralSubjects(directory));
  obligationSubjects.register(caseSubjects(directory));
  obligationSubjects.register(riskReviewSubjects());
  obligationSubjects.register(assessmentSubjects);
  const obligations = new Obligations(db, clock, obligationSubjects);
  const cases = new CasesService(db, obligations);
  // The known check (REF-8) is for teams that receive referrals: the referrals module says which, read when a search asks.
  const people = new PeopleService(db, audit, guard, clock, directory, cases, (teamId): Promise<boolean> => referrals.receivesReferrals(teamId));
  const referrals = new ReferralsService(db, audit, guard, clock, obligations, people, directory, cases);
  // The one way into a person's record, for every module that opens one.
  const openRecord = recordOpener({ db, audit, clock, nameSql: people.nameAlongside });
  const notes = new NotesService(db, audit, guard, clock, openRecord, directory);
  entryKinds.register(noteEntries);
  entryKinds.register(riskReviewEntries);
  const risk = new RiskService({ db, audit, guard, clock, openRecord, obligations, entryKinds, directory });
  const assessments = new AssessmentsService(db, audit, guard, clock, openRecord, obligations);
  const escalations = new EscalationsService(db, audit, guard, clock, openRecord, directory);
  entryKinds.register(assessmentEntries);
  const involvement = new InvolvementService(db, audit, guard, clock, directory, openRecord);
  const sharing = new SharingService(db, audit, guard, clock, openRecord, directory, entryKinds);
  const caseReader = new CaseReader({ db, audit, guard, clock, cases, obligations, people, directory });
  const accessReview = new AccessReviewService({ db, audit, guard, clock, people, directory, config: config.accessReview });
  directory.useAlerts(accessReview);
  const transparency = new Transparency({ db, audit, guard, clock, people, directory, openRecord });
  const core = { db, clock, audit, guard, openRecord, entryKinds, directory, sessions, apiTokens, signIn, obligationSubjects, obligations, cases, caseReader, people, referrals, notes, assessments, escalations, config };
  return { ...core, sharing, involvement, risk, accessReview, transparency, myWork: new MyWork(core) };
}
