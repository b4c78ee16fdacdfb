/**
 * `npm run admin` as a child process on its own DATA_DIR: grants and revokes roles, lists them, shows the audit
 * log, and refuses bad input with its usage and exit code 2.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from './helpers.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const dataDir = makeTempDir('bhvs-admin-cli-');
afterAll(() => dataDir.remove());

function admin(...args: string[]): { code: number | null; out: string; err: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir.path, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  const r = spawnSync('npx', ['tsx', 'scripts/admin.ts', ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run admin', () => {
  it('grants, lists, revokes and audits roles', () => {
    expect(admin('grant', 'officer', 'zalo:5511223344', 'Phường Việt Trì')).toMatchObject({ code: 0, out: 'granted officer in Phường Việt Trì to zalo:5511223344\n' });
    expect(admin('grant', 'admin', 'zalo:42').code).toBe(0);
    const list = admin('list').out.trim().split('\n').map((l) => l.split('\t').slice(0, 3));
    expect(list).toEqual([
      ['admin', '(all)', 'zalo:42'],
      ['officer', 'Phường Việt Trì', 'zalo:5511223344'],
    ]);
    expect(admin('revoke', 'officer', 'zalo:5511223344', 'Phường Việt Trì').out).toBe('revoked officer in Phường Việt Trì from zalo:5511223344\n');
    expect(admin('revoke', 'officer', 'zalo:5511223344', 'Phường Việt Trì').out).toBe('nothing to revoke\n');
    const audit = admin('audit').out.trim().split('\n').map((l) => l.split('\t'));
    expect(audit.map((e) => [e[1]!.startsWith('cli:'), e[2], e[3]])).toEqual([
      [true, 'role.grant', 'zalo:5511223344'],
      [true, 'role.grant', 'zalo:42'],
      [true, 'role.revoke', 'zalo:5511223344'],
    ]);
  }, 120_000);

  it('refuses an unknown role, a bad id, a missing or unknown ward, with the usage and exit code 2', () => {
    for (const [args, message] of [
      [['grant', 'mayor', 'zalo:1', 'Phường Việt Trì'], /unknown role: mayor/],
      [['grant', 'officer', "zalo:1'; DROP TABLE learners;--", 'Phường Việt Trì'], /bad external id/],
      [['grant', 'officer', 'zalo:1'], /officer needs a ward, one of: Phường Việt Trì/],
      [['grant', 'officer', 'zalo:1', 'Phường Không Có'], /unknown ward: Phường Không Có/],
      [['frobnicate'], /unknown command/],
    ] as const) {
      const r = admin(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(/usage:/);
    }
    expect(admin('list').out.trim().split('\n')).toHaveLength(1);
  }, 120_000);
});
