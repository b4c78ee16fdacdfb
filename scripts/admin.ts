/**
 * npm run admin -- grant|revoke ROLE EXTERNAL_ID [WARD] | list | audit [N]
 *   npm run admin -- grant admin zalo:5511223344556677889
 *   npm run admin -- grant officer zalo:5511223344556677889 "Phường Việt Trì"
 *   npm run admin -- revoke officer zalo:5511223344556677889 "Phường Việt Trì"
 * Works on the configured database (DATA_DIR or DATABASE_URL). Every change is in the audit log as "cli:<os user>".
 */
import { userInfo } from 'node:os';
import { listAudit } from '../bot-server/src/audit/audit.js';
import { loadConfig } from '../bot-server/src/config.js';
import { openDatabase } from '../bot-server/src/db/index.js';
import { loadAreas } from '../bot-server/src/areas/areas.js';
import { ROLES, type Role } from '../bot-server/src/identity/learners.js';
import { RoleError, Roles } from '../bot-server/src/roles/roles.js';

const USAGE = `usage:
  npm run admin -- grant ROLE EXTERNAL_ID [WARD]     ROLE: ${ROLES.join(' | ')}; EXTERNAL_ID: zalo:<Zalo user id>
  npm run admin -- revoke ROLE EXTERNAL_ID [WARD]
  npm run admin -- list
  npm run admin -- audit [N]`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const [command, ...args] = process.argv.slice(2);
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const areas = loadAreas(config.areasFile);
const db = await openDatabase(config);
const actor = `cli:${userInfo().username}`;
try {
  const roles = new Roles(db, areas.wards);
  if (command === 'grant' || command === 'revoke') {
    const [role, externalId, ward = ''] = args;
    if (!ROLES.includes(role as Role)) fail(`unknown role: ${role ?? '(none)'}`);
    if (!externalId || !/^(zalo|dev):[A-Za-z0-9-]{1,40}$/.test(externalId)) fail(`bad external id: ${externalId ?? '(none)'}`);
    if (role !== 'admin' && !ward) fail(`${role} needs a ward, one of: ${areas.wards.join(', ')}`);
    if (command === 'grant') {
      await roles.grant(actor, externalId, role as Role, ward);
      console.log(`granted ${role}${ward ? ` in ${ward}` : ''} to ${externalId}`);
    } else {
      const done = await roles.revoke(actor, externalId, role as Role, ward);
      console.log(done ? `revoked ${role}${ward ? ` in ${ward}` : ''} from ${externalId}` : 'nothing to revoke');
    }
  } else if (command === 'list') {
    for (const g of await roles.list()) console.log([g.role, g.ward || '(all)', g.externalId, g.name, g.grantedAt].join('\t'));
  } else if (command === 'audit') {
    const n = Number(args[0] ?? 50);
    for (const e of (await listAudit(db, { limit: Number.isInteger(n) && n > 0 ? n : 50 })).reverse()) {
      console.log([e.at, e.actor, e.action, e.target ?? '', JSON.stringify(e.detail)].join('\t'));
    }
  } else {
    fail(command ? `unknown command: ${command}` : 'no command');
  }
} catch (err) {
  if (err instanceof RoleError) fail(err.message);
  throw err;
} finally {
  await db.close();
}
