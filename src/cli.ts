import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { loadConfig, ConfigError, type Config } from './config.js';
import { openDatabase, type OpenDatabase } from './concord.js';
import { connectDatabase } from './platform/db/database.js';
import { createServices } from './services.js';
import { systemClock } from './platform/clocks/clock.js';
import { loadDemoPartnership } from './demo/load.js';
import { ROLES, type Role } from './platform/access/policy.js';
import { AGENCY_TYPES, type AgencyType } from './modules/directory/rules.js';
import { DomainError } from './platform/errors.js';
import { writeBackup } from './platform/db/backup.js';
import { checkRestorable, restoreBackup } from './platform/db/restore.js';

const USAGE = `Usage: concord <command>

  serve [--demo-if-empty]   start Concord (the default for npm start)
  migrate                   apply the database migrations and stop
  seed --demo               load the demo partnership into an empty database
  user create --email E --name N --agency A [--agency-type T] --team T --role R [--role R …]
                            add a user (creating the agency and team if new); the password is read
                            from standard input, so it never appears in the shell history
  audit verify [--full]     check the audit chain since the last intact check (--full: all of it)
  backup FILE               write every table, from one snapshot, to a new file (gzipped, with a checksum)
  restore FILE              load a backup into an empty database, then check the audit chain

Configuration comes from environment variables: see README.md.`;

async function withServices<T>(config: Config, work: (services: ReturnType<typeof createServices>) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    return await work(createServices(database.db, systemClock, config));
  } finally {
    await database.close();
  }
}

/**
 * The connection a backup or a restore runs on. On the embedded server the app itself connects as a
 * least-privilege role that may not read the migrations' own table nor set the audit trail's triggers
 * aside; the owner's connection (the superuser of the data folder) may. With DATABASE_URL it is the
 * connection configured, whose rights are the operator's to give.
 */
function ownerConnection(database: OpenDatabase): { pool: OpenDatabase['pool']; close(): Promise<void> } {
  if (!database.embedded) return { pool: database.pool, close: async () => undefined };
  const owner = connectDatabase(database.embedded.url, 2);
  return { pool: owner.pool, close: () => owner.close() };
}

async function readPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  if (process.stdin.isTTY) process.stderr.write('Password (12 characters or more): ');
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function main(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  const config = loadConfig();
  switch (command) {
    case undefined:
    case 'serve': {
      const { serve } = await import('./serve.js');
      await serve(config, { demoIfEmpty: argv.includes('--demo-if-empty') });
      return -1; // keeps running until a signal stops it
    }
    case 'migrate': {
      const database = await openDatabase(config);
      await database.close();
      console.log('Migrations applied.');
      return 0;
    }
    case 'seed': {
      if (!argv.includes('--demo')) break;
      return withServices(config, async (services) => {
        if (!(await services.directory.isEmpty())) {
          console.error('The database already has agencies in it; the demo partnership is only loaded into an empty database.');
          return 1;
        }
        const counts = await loadDemoPartnership(services);
        console.log(`Demo partnership loaded: ${counts.agencies} agencies, ${counts.teams} teams, ${counts.users} users.`);
        return 0;
      });
    }
    case 'user': {
      if (sub !== 'create') break;
      const { values } = parseArgs({
        args: argv.slice(2),
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          agency: { type: 'string' },
          'agency-type': { type: 'string', default: 'other' },
          team: { type: 'string' },
          role: { type: 'string', multiple: true },
        },
      });
      const roles = values.role ?? [];
      const badRole = roles.find((r) => !(ROLES as readonly string[]).includes(r));
      if (!values.email || !values.name || !values.agency || !values.team || roles.length === 0 || badRole) {
        console.error(badRole ? `Unknown role "${badRole}". Roles: ${ROLES.join(', ')}` : USAGE);
        return 2;
      }
      if (!(AGENCY_TYPES as readonly string[]).includes(values['agency-type']!)) {
        console.error(`Unknown agency type. Types: ${AGENCY_TYPES.join(', ')}`);
        return 2;
      }
      const password = await readPassword();
      return withServices(config, async (services) => {
        const created = await services.directory.createUserFromCommandLine(
          { agency: values.agency!, agencyType: values['agency-type'] as AgencyType, team: values.team!, email: values.email!, name: values.name!, roles: roles as Role[] },
          password,
        );
        console.log(`Created ${created.email} in ${values.team}, ${values.agency}.`);
        return 0;
      });
    }
    case 'audit': {
      if (sub !== 'verify') break;
      const full = argv.slice(2).includes('--full');
      return withServices(config, async (services) => {
        const result = await services.audit.verifyAndRecord(null, 'concord audit verify (command line)', { full });
        const scope = result.continuedFrom ? `continued from the check of ${result.continuedFrom.checkedAt.toISOString()}` : 'the whole chain';
        const window = result.unsealed.oldestAt
          ? `${result.unsealed.events} newer events not sealed yet, the oldest ${Math.round((result.checkedAt.getTime() - result.unsealed.oldestAt.getTime()) / 1000)} s old.`
          : 'Every event is sealed.';
        if (result.intact) {
          console.log(`Audit chain intact: ${result.eventsChecked} events checked (${scope}). Head hash ${result.headHash}. ${window}`);
          return 0;
        }
        console.error(`Audit chain BROKEN at event ${result.firstBroken!.id}: ${result.firstBroken!.problem}. ${result.brokenCount} broken in all:`);
        for (const item of result.broken) console.error(`  event ${item.id}: ${item.problem}`);
        if (result.brokenCount > result.broken.length) console.error(`  … and ${result.brokenCount - result.broken.length} more`);
        console.error(`${result.eventsChecked} events checked (${scope}). ${window}`);
        return 1;
      });
    }
    case 'backup': {
      if (!sub || argv.length > 2) break;
      const database = await openDatabase(config);
      const owner = ownerConnection(database);
      try {
        const summary = await writeBackup(owner.pool, sub, systemClock.now());
        // Taking every record out of the system is itself recorded, after the snapshot it copied.
        await createServices(database.db, systemClock, config).audit.recordNow(null, {
          action: 'database.backed_up',
          details: { tables: summary.tables, rows: summary.rows, sha256: summary.checksum, createdAt: summary.header.createdAt },
        });
        console.log(`Backup written to ${sub}: ${summary.tables} tables, ${summary.rows} rows, at ${summary.header.migrations.applied} migrations. SHA-256 ${summary.checksum}`);
        return 0;
      } finally {
        await owner.close();
        await database.close();
      }
    }
    case 'restore': {
      if (!sub || argv.length > 2) break;
      // The file is read whole and checked before any database is touched (or created).
      const header = await checkRestorable(sub);
      const database = await openDatabase(config);
      const owner = ownerConnection(database);
      try {
        const summary = await restoreBackup(owner.pool, sub);
        console.log(`Restored ${summary.rows} rows in ${summary.tables} tables from the backup of ${header.createdAt}.`);
        // Every link, not from a checkpoint: the checkpoints came in the file with the events.
        const chain = await createServices(database.db, systemClock, config).audit.verifyAndRecord(null, 'concord restore (command line)', { full: true });
        if (!chain.intact) {
          console.error(`The restored audit chain is BROKEN at event ${chain.firstBroken!.id}: ${chain.firstBroken!.problem}. ${chain.eventsChecked} events checked.`);
          return 1;
        }
        console.log(`The restored audit chain is intact: ${chain.eventsChecked} events checked. Head hash ${chain.headHash}`);
        return 0;
      } finally {
        await owner.close();
        await database.close();
      }
    }
    case 'help':
    case '--help':
      console.log(USAGE);
      return 0;
  }
  console.error(USAGE);
  return 2;
}

try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exit(code);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  if (error instanceof DomainError) {
    console.error([error.message, ...error.fieldErrors.map((e) => `  ${e.field}: ${e.message}`)].join('\n'));
    process.exit(1);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
