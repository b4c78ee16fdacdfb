/**
 * Community teams through the real HTTP API on a real PGlite database: teams and members set up by officers,
 * referral codes and their QR code (decoded back), consent and what a mentor may see, help sessions, households,
 * and the leaderboards computed from real quiz results.
 */
import type { FastifyInstance } from 'fastify';
import jsQRImport from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../bot-server/src/app.js';
import type { AppContext } from '../bot-server/src/context.js';
import { openTestContext } from './helpers.js';
import { caller, type Person, people } from './people.js';

// jsqr is CommonJS typed with an ES default: under Node's ESM loader the default import is the function itself.
const jsQR = jsQRImport as unknown as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

const WARD_A = 'Phường Âu Cơ';
const WARD_B = 'Phường Vĩnh Phúc';
let ctx: AppContext;
let app: FastifyInstance;
const person = people(() => ctx, () => app, 70_000);
let n = 0;

/** An officer's team with one member signed in (their session made after the officer added them). */
async function teamWithMember(officer: Person, ward: string, teamName: string) {
  const created = await officer.call<{ teams: { id: string; name: string }[] }>('POST', '/api/officer/teams', { name: teamName, ward });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const teamId = created.body.teams.find((t) => t.name === teamName)!.id;
  const memberId = `zalo:${++n + 90_000}`;
  expect((await officer.call('POST', `/api/officer/teams/${teamId}/members`, { externalId: memberId })).status).toBe(200);
  const { token } = await ctx.learners.signIn(memberId, `Đại sứ ${n}`);
  const call = caller(() => app, token);
  const me = await call<{ code: string; link: string; team: string; target: number }>('GET', '/api/community/me');
  expect(me.status).toBe(200);
  return { teamId, memberId, call, code: me.body.code, link: me.body.link };
}

beforeAll(async () => {
  ctx = await openTestContext({ outboxIntervalMs: 0, publicUrl: 'https://tro-ly.example.vn' });
  app = await buildApp(ctx);
  await app.ready();
});
afterAll(async () => {
  await app?.close();
});

describe('teams and referral codes', () => {
  it('an officer sets up a team; the member gets an unguessable code, a link with ?ref= and a QR code that decodes to it', async () => {
    const officer = await person({ officerOf: WARD_A });
    const team = await teamWithMember(officer, WARD_A, 'Tổ công nghệ số khu 1');
    expect(team.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
    expect(team.link).toBe(`https://tro-ly.example.vn/?ref=${team.code}`);
    const profile = await team.call<{ roles: { role: string; ward: string }[] }>('GET', '/api/me');
    expect(profile.body.roles).toContainEqual({ role: 'team_member', ward: WARD_A });

    const qr = await team.call('GET', '/api/community/qr.png');
    expect(qr.status).toBe(200);
    expect(qr.type).toBe('image/png');
    const png = PNG.sync.read(qr.raw);
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(team.link);

    // Codes differ between members and change on request; the old one stops working.
    const other = await teamWithMember(officer, WARD_A, 'Tổ công nghệ số khu 2');
    expect(other.code).not.toBe(team.code);
    const rotated = await team.call<{ code: string }>('POST', '/api/community/code/rotate');
    expect(rotated.body.code).not.toBe(team.code);
    const neighbour = await person();
    expect((await neighbour.call('GET', `/api/referrals/code/${team.code}`)).status).toBe(404);
    expect((await neighbour.call<{ mentorName: string }>('GET', `/api/referrals/code/${rotated.body.code.toLowerCase()}`)).body.mentorName).toMatch(/^Đại sứ/);
  });

  it('officers manage only their wards\' teams; citizens cannot use member or officer routes', async () => {
    const officerA = await person({ officerOf: WARD_A });
    const officerB = await person({ officerOf: WARD_B });
    const team = await teamWithMember(officerA, WARD_A, 'Tổ khu phố Âu Cơ');
    expect((await officerB.call('POST', '/api/officer/teams', { name: 'Tổ lạ', ward: WARD_A })).status).toBe(403);
    expect((await officerB.call('POST', `/api/officer/teams/${team.teamId}/members`, { externalId: 'zalo:123' })).status).toBe(404);
    expect((await officerB.call<{ teams: { ward: string }[] }>('GET', '/api/officer/teams')).body.teams.every((t) => t.ward === WARD_B)).toBe(true);
    const citizen = await person();
    expect((await citizen.call('GET', '/api/community/me')).status).toBe(403);
    expect((await citizen.call('GET', '/api/community/mentees')).status).toBe(403);
    expect((await citizen.call('GET', '/api/officer/teams')).status).toBe(403);
    const audit = await ctx.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE actor = $1 ORDER BY id`, [officerA.externalId]);
    expect(audit.map((a) => a.action)).toEqual(['team.create', 'team.member.add']);
  });
});

describe('consent and visibility', () => {
  it('a mentor sees only neighbours who joined through them and agreed; progress only when they agreed to share it', async () => {
    const officer = await person({ officerOf: WARD_A });
    const mentor = await teamWithMember(officer, WARD_A, 'Tổ đồng hành');
    const otherMentor = await teamWithMember(officer, WARD_A, 'Tổ bên cạnh');
    const sharing = await person({ name: 'Bà Lan' });
    const private_ = await person({ name: 'Ông Hùng' });
    const stranger = await person({ name: 'Cô Mai' });

    const lookup = await sharing.call<{ mentorName: string; teamName: string; ward: string }>('GET', `/api/referrals/code/${mentor.code}`);
    expect(lookup.body).toEqual({ mentorName: expect.stringMatching(/^Đại sứ/), teamName: 'Tổ đồng hành', ward: WARD_A });
    expect((await sharing.call('POST', '/api/referrals', { code: mentor.code, shareProgress: true })).status).toBe(200);
    expect((await private_.call('POST', '/api/referrals', { code: mentor.code, shareProgress: false })).status).toBe(200);
    await sharing.pass('an-toan-otp', false);
    await sharing.pass('an-toan-otp', false);
    await stranger.pass('an-toan-otp');

    const { body } = await mentor.call<{ mentees: { id: string; name: string; shareProgress: boolean; progress?: { stuck?: string; next?: { id: string; reason: string } } }[]; target: number }>(
      'GET',
      '/api/community/mentees',
    );
    expect(body.target).toBe(5);
    expect(body.mentees.map((m) => m.name)).toEqual(['Bà Lan', 'Ông Hùng']);
    const [lan, hung] = body.mentees;
    expect(lan!.progress!.stuck).toMatch(/nhiều lần chưa qua/);
    // Two failed quizzes are not a lesson done.
    expect((lan!.progress as { lessonsDone: number }).lessonsDone).toBe(0);
    expect(lan!.progress!.next).toMatchObject({ id: 'an-toan-otp' });
    expect(hung!.progress).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain('Cô Mai');
    expect((await otherMentor.call<{ mentees: unknown[] }>('GET', '/api/community/mentees')).body.mentees).toEqual([]);

    // Help sessions only with one's own mentees.
    expect((await mentor.call('POST', '/api/community/help-sessions', { learnerId: lan!.id, activities: ['cai-vneid', 'nhan-biet-lua-dao'], note: 'Cài xong, đã đăng nhập.' })).status).toBe(201);
    expect((await mentor.call('POST', '/api/community/help-sessions', { learnerId: stranger.learner.id, activities: ['cai-vneid'] })).status).toBe(403);
    expect((await otherMentor.call('POST', '/api/community/help-sessions', { learnerId: lan!.id, activities: ['khac'] })).status).toBe(403);
    expect((await mentor.call('POST', '/api/community/help-sessions', { learnerId: lan!.id, activities: ['bay-tren-troi'] })).status).toBe(400);

    // Changing one's mind: share now; withdraw entirely.
    await private_.call('PATCH', '/api/referrals/mine', { shareProgress: true });
    await sharing.call('DELETE', '/api/referrals/mine');
    const after = await mentor.call<{ mentees: { name: string; progress?: Record<string, unknown> }[] }>('GET', '/api/community/mentees');
    expect(after.body.mentees.map((m) => m.name)).toEqual(['Ông Hùng']);
    // Joined minutes ago and has not learned yet: not "stuck".
    expect(after.body.mentees[0]!.progress).toMatchObject({ lessonsDone: 0, basic: false });
    expect((after.body.mentees[0]!.progress as { stuck?: string }).stuck).toBeUndefined();
  });

  it('refuses unknown codes, one\'s own code, a second referrer, and rate-limits code lookups', async () => {
    const officer = await person({ officerOf: WARD_B });
    const a = await teamWithMember(officer, WARD_B, 'Tổ A');
    const b = await teamWithMember(officer, WARD_B, 'Tổ B');
    const neighbour = await person();
    expect((await neighbour.call('POST', '/api/referrals', { code: a.code, shareProgress: true })).status).toBe(200);
    const second = await neighbour.call<{ code: string; error: string }>('POST', '/api/referrals', { code: b.code, shareProgress: true });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatch(/người khác giới thiệu/);
    const selfRef = await a.call<{ code: string }>('POST', '/api/referrals', { code: a.code, shareProgress: true });
    expect(selfRef.body.code).toBe('SELF');

    const guesser = await person();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await guesser.call('GET', `/api/referrals/code/ABCDEFGHJK${String(i).padStart(2, '0')}`)).status);
    expect(statuses.slice(0, 5).every((s) => s === 404)).toBe(true);
    expect(statuses).toContain(429);
  });
});

describe('households and leaderboards', () => {
  it('a household is covered when one member reaches the basic level', async () => {
    const mother = await person({ ward: WARD_B, name: 'Mẹ' });
    const son = await person({ ward: WARD_B, name: 'Con trai' });
    const created = await mother.call<{ household: { inviteCode: string; covered: boolean } }>('POST', '/api/household');
    expect(created.body.household.covered).toBe(false);
    const joined = await son.call<{ household: { members: { name: string; you: boolean }[] } }>('POST', '/api/household/join', { code: created.body.household.inviteCode });
    expect(joined.body.household.members.map((m) => [m.name, m.you])).toEqual([['Mẹ', false], ['Con trai', true]]);
    expect((await son.call('POST', '/api/household/join', { code: 'ZZZZZZZZZZZZ' })).status).toBe(404);
    await son.reachBasic();
    const view = await mother.call<{ household: { covered: boolean; members: { name: string; basic: boolean }[] } }>('GET', '/api/household');
    expect(view.body.household.covered).toBe(true);
    expect(view.body.household.members).toEqual([
      { name: 'Mẹ', basic: false, you: true },
      { name: 'Con trai', basic: true, you: false },
    ]);
  });

  it('ranks teams by neighbours brought to the basic level, neighbours brought and help sessions; exports CSV', async () => {
    const ward = 'Phường Xuân Hòa';
    const officer = await person({ officerOf: ward });
    const strong = await teamWithMember(officer, ward, 'Tổ Xuân Hòa 1');
    const weak = await teamWithMember(officer, ward, 'Tổ Xuân Hòa 2');
    const strongMentees = [];
    for (let i = 0; i < 5; i++) {
      const m = await person();
      await m.call('POST', '/api/referrals', { code: strong.code, shareProgress: i % 2 === 0 });
      strongMentees.push(m);
    }
    await strongMentees[0]!.reachBasic();
    await strongMentees[1]!.reachBasic(); // did not share progress: still counts for the team, as a number
    for (let i = 0; i < 3; i++) {
      await strong.call('POST', '/api/community/help-sessions', { learnerId: strongMentees[2]!.learner.id, activities: ['chuyen-tien-lan-dau'] });
    }
    const lone = await person();
    await lone.call('POST', '/api/referrals', { code: weak.code, shareProgress: true });
    await lone.reachBasic();

    const board = await officer.call<{ teams: { team: string; mentees: number; menteesBasic: number; helpSessions: number; mentorsAtTarget: number; score: number }[] }>(
      'GET',
      '/api/officer/leaderboard',
    );
    expect(board.body.teams.map((t) => [t.team, t.mentees, t.menteesBasic, t.helpSessions, t.mentorsAtTarget, t.score])).toEqual([
      ['Tổ Xuân Hòa 1', 5, 2, 3, 1, 3 * 2 + 5 + 3],
      ['Tổ Xuân Hòa 2', 1, 1, 0, 0, 3 + 1],
    ]);
    const csv = await officer.call<string>('GET', '/api/officer/leaderboard.csv');
    expect(csv.type).toMatch(/text\/csv/);
    const lines = csv.body.slice(1).trim().split('\r\n');
    expect(lines[1]).toBe('"Tổ công nghệ số","1","Tổ Xuân Hòa 1","Phường Xuân Hòa","1","1","5","2","3","14"');
    expect((await officer.call('GET', '/api/officer/leaderboard?year=1999')).status).toBe(400);
  });

  it('erasing a neighbour removes them from their mentor\'s list and from the counts', async () => {
    const officer = await person({ officerOf: WARD_A });
    const mentor = await teamWithMember(officer, WARD_A, 'Tổ xóa dữ liệu');
    const neighbour = await person({ name: 'Người sẽ xóa' });
    await neighbour.call('POST', '/api/referrals', { code: mentor.code, shareProgress: true });
    await mentor.call('POST', '/api/community/help-sessions', { learnerId: neighbour.learner.id, activities: ['khac'] });
    expect((await mentor.call<{ mentees: unknown[] }>('GET', '/api/community/mentees')).body.mentees).toHaveLength(1);
    expect((await neighbour.call('DELETE', '/api/me')).status).toBe(200);
    expect((await mentor.call<{ mentees: unknown[] }>('GET', '/api/community/mentees')).body.mentees).toHaveLength(0);
    expect((await ctx.db.query('SELECT 1 FROM help_sessions WHERE learner_id = $1', [neighbour.learner.id])).length).toBe(0);
  });
});
