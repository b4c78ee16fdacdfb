/**
 * The storage suite: the same assertions on both backends, the embedded PGlite and a real PostgreSQL server
 * (TEST_DATABASE_URL or DATABASE_URL; scripts/setup-postgres.sh starts one). Without a reachable server the
 * PostgreSQL block is reported as skipped with the reason, except in CI, where the suite fails instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../bot-server/src/config.js';
import { DataDirLockedError } from '../bot-server/src/db/lock.js';
import { migrate, readMigrations } from '../bot-server/src/db/migrate.js';
import { openPglite } from '../bot-server/src/db/pglite.js';
import { openPostgres } from '../bot-server/src/db/postgres.js';
import type { Db } from '../bot-server/src/db/types.js';
import { LessonCatalog } from '../bot-server/src/lessons/catalog.js';
import { chunkLesson } from '../bot-server/src/lessons/chunk.js';
import { type Embedder, hashEmbedder } from '../bot-server/src/embedding/embedder.js';
import { ingestLessons } from '../bot-server/src/lessons/ingest.js';
import { loadLessons } from '../bot-server/src/lessons/load.js';
import type { Lesson } from '../bot-server/src/lessons/schema.js';
import { prepareQuery } from '../bot-server/src/retrieval/query.js';
import { rankLessons, searchChunks } from '../bot-server/src/retrieval/search.js';
import { foldVietnamese } from '../bot-server/src/text/fold.js';
import { createScratchDatabase, findPostgres, makeTempDir } from './helpers.js';

const postgres = await findPostgres();
if (postgres.reason && process.env.CI === 'true') {
  throw new Error(`CI=true: the storage suite must run against PostgreSQL, but ${postgres.reason}`);
}

const lessons = loadLessons(join(REPO_ROOT, 'knowledge'));
const catalog = new LessonCatalog(lessons);

interface Opened {
  db: Db;
  cleanup(): Promise<void>;
}

interface Backend {
  name: 'pglite' | 'postgres';
  skip?: string;
  open(): Promise<Opened>;
}

const backends: Backend[] = [
  {
    name: 'pglite',
    async open() {
      const dir = makeTempDir('bhvs-storage-');
      const db = await openPglite(dir.path);
      return {
        db,
        async cleanup() {
          await db.close();
          dir.remove();
        },
      };
    },
  },
  {
    name: 'postgres',
    skip: postgres.reason,
    async open() {
      const scratch = await createScratchDatabase(postgres.url!);
      const db = await openPostgres(scratch.url);
      return {
        db,
        async cleanup() {
          await db.close();
          await scratch.drop();
        },
      };
    },
  },
];

/** Clear questions and the lesson each must rank first (a prefix: any VNeID lesson will do for "vneid-"). */
const QUESTIONS: [question: string, expected: string][] = [
  ['cách kích hoạt VNeID', 'vneid-'],
  ['cach kich hoat vneid', 'vneid-'],
  ['chuyen khoan nham', 'thanh-toan-chuyen-nham'],
  ['Lỡ chuyển khoản nhầm tiền thì làm sao', 'thanh-toan-chuyen-nham'],
  ['thẻ BHYT khám bệnh thế nào', 'suc-khoe-bhyt-kham-benh'],
  ['dat lich kham benh', 'suc-khoe-dat-lich-kham'],
  ['nộp hồ sơ dịch vụ công', 'dvc-nop-ho-so'],
];

/** Top lessons per backend and question, compared across backends at the end. */
const topResults = new Map<string, Map<string, { lessonId: string; score: number }[]>>();

async function count(db: Db, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) AS sub`, params);
  return row!.n;
}

async function chunkIds(db: Db, lessonId?: string): Promise<number[]> {
  const rows = lessonId
    ? await db.query<{ id: number }>('SELECT id FROM lesson_chunks WHERE lesson_id = $1 ORDER BY id', [lessonId])
    : await db.query<{ id: number }>('SELECT id FROM lesson_chunks ORDER BY id');
  return rows.map((r) => Number(r.id));
}

const totalChunks = (ls: Lesson[]) => ls.reduce((n, l) => n + chunkLesson(l).length, 0);
const totalPhrases = (ls: Lesson[]) => ls.reduce((n, l) => n + new Set([l.title, ...l.keywords]).size, 0);

for (const backend of backends) {
  const title = backend.skip ? `${backend.name} (skipped: ${backend.skip})` : backend.name;
  (backend.skip ? describe.skip : describe)(title, () => {
    let opened: Opened;
    let db: Db;

    beforeAll(async () => {
      opened = await backend.open();
      db = opened.db;
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    it('is the backend it claims to be', async () => {
      expect(db.kind).toBe(backend.name);
      const [row] = await db.query<{ version: string }>('SELECT version()');
      expect(row!.version).toMatch(backend.name === 'pglite' ? /PGlite/ : /^PostgreSQL/);
    });

    describe('migrations', () => {
      it('apply every migration once and record each in schema_migrations', async () => {
        const migrations = readMigrations();
        expect(migrations.length).toBeGreaterThan(0);
        const applied = await migrate(db);
        expect(applied).toEqual(migrations.map((m) => m.version));
        const rows = await db.query<{ version: number; name: string; applied_at: unknown }>(
          'SELECT version, name, applied_at FROM schema_migrations ORDER BY version',
        );
        expect(rows.map((r) => [r.version, r.name])).toEqual(migrations.map((m) => [m.version, m.name]));
        for (const r of rows) expect(r.applied_at).not.toBeNull();
        const tables = await db.query<{ t: string }>(
          `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
        );
        expect(tables.map((r) => r.t)).toEqual(
          expect.arrayContaining(['chunk_embeddings', 'lesson_chunks', 'lesson_phrases', 'lessons', 'schema_migrations']),
        );
      });

      it('a second migrate() applies nothing', async () => {
        expect(await migrate(db)).toEqual([]);
        expect(await count(db, 'SELECT * FROM schema_migrations')).toBe(readMigrations().length);
      });

      it('the extensions vector, unaccent and pg_trgm exist and work', async () => {
        const rows = await db.query<{ extname: string }>(
          `SELECT extname FROM pg_extension WHERE extname IN ('vector', 'unaccent', 'pg_trgm') ORDER BY 1`,
        );
        expect(rows.map((r) => r.extname)).toEqual(['pg_trgm', 'unaccent', 'vector']);
        const [row] = await db.query<{ d: number; u: string; s: number }>(
          `SELECT ('[1,0,0]'::vector <=> '[0,1,0]'::vector)::float8 AS d, unaccent('Tiếng Việt') AS u,
                  similarity('chuyen khoan', 'chuyen khoan')::float8 AS s`,
        );
        expect(row).toEqual({ d: 1, u: 'Tieng Viet', s: 1 });
      });
    });

    describe('vi_fold() in SQL agrees with foldVietnamese() in JS', () => {
      async function sqlFold(texts: string[]): Promise<string[]> {
        const rows = await db.query<{ f: string }>(
          'SELECT vi_fold(t) AS f FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i',
          [texts],
        );
        return rows.map((r) => r.f);
      }

      async function expectAgreement(texts: string[]) {
        expect(texts.length).toBeGreaterThan(0);
        const folded = await sqlFold(texts);
        expect(folded).toHaveLength(texts.length);
        const disagreements = texts
          .map((text, i) => ({ text, sql: folded[i], js: foldVietnamese(text) }))
          .filter((d) => d.sql !== d.js);
        expect(disagreements).toEqual([]);
      }

      it('on every Vietnamese letter with every tone, upper and lower case, NFC and NFD', async () => {
        const letters = 'aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ';
        const all = [...letters, ...letters.toUpperCase()];
        await expectAgreement([...all, ...all.map((c) => c.normalize('NFD')), all.join(''), all.join('').normalize('NFD')]);
      });

      it('on the typographic punctuation lesson authors type (quotes, dashes, ellipsis)', async () => {
        await expectAgreement(['Bấm “Đăng nhập”', 'mục ‘Ví giấy tờ’', 'bước 1 – bước 2 — xong', 'chờ…', '« Tiếp »']);
      });

      const fields: [string, (l: Lesson) => string[]][] = [
        ['title', (l) => [l.title]],
        ['summary', (l) => [l.summary]],
        ['keywords', (l) => l.keywords],
        ['steps', (l) => l.steps],
        ['pitfalls', (l) => l.pitfalls],
        ['quiz', (l) => l.quiz.flatMap((q) => [q.question, q.why, ...q.options])],
        ['body', (l) => (l.body ? [l.body] : [])],
      ];
      it.each(fields)("on every lesson's %s", async (_field, texts) => {
        await expectAgreement(lessons.flatMap(texts));
      });
    });

    describe('transaction()', () => {
      beforeAll(async () => {
        await db.exec('CREATE TABLE tx_probe (id integer PRIMARY KEY, note text NOT NULL)');
      });

      it('commits on success and returns the callback result', async () => {
        const result = await db.transaction(async (tx) => {
          await tx.query('INSERT INTO tx_probe VALUES ($1, $2)', [1, 'một']);
          await tx.query('INSERT INTO tx_probe VALUES ($1, $2)', [2, 'hai']);
          const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM tx_probe');
          return row!.n;
        });
        expect(result).toBe(2);
        const rows = await db.query<{ id: number; note: string }>('SELECT id, note FROM tx_probe ORDER BY id');
        expect(rows).toEqual([
          { id: 1, note: 'một' },
          { id: 2, note: 'hai' },
        ]);
      });

      it('rolls back everything when the callback throws, and rethrows', async () => {
        const boom = new Error('boom after a write');
        await expect(
          db.transaction(async (tx) => {
            await tx.query('INSERT INTO tx_probe VALUES ($1, $2)', [3, 'ba']);
            await tx.query('UPDATE tx_probe SET note = $1 WHERE id = 1', ['đã sửa']);
            throw boom;
          }),
        ).rejects.toBe(boom);
        const rows = await db.query<{ id: number; note: string }>('SELECT id, note FROM tx_probe ORDER BY id');
        expect(rows).toEqual([
          { id: 1, note: 'một' },
          { id: 2, note: 'hai' },
        ]);
      });

      it('rolls back earlier writes when a later statement fails', async () => {
        await expect(
          db.transaction(async (tx) => {
            await tx.query('INSERT INTO tx_probe VALUES ($1, $2)', [4, 'bốn']);
            await tx.query('INSERT INTO tx_probe VALUES ($1, $2)', [1, 'trùng khóa']);
          }),
        ).rejects.toThrow(/duplicate key|unique/i);
        expect(await count(db, 'SELECT * FROM tx_probe')).toBe(2);
        expect(await count(db, 'SELECT * FROM tx_probe WHERE id = 4')).toBe(0);
        // The connection is usable afterwards (no transaction left open).
        await db.query('INSERT INTO tx_probe VALUES ($1, $2)', [5, 'năm']);
        expect(await count(db, 'SELECT * FROM tx_probe')).toBe(3);
      });
    });

    describe('ingestLessons', () => {
      const changedId = 'thanh-toan-chuyen-nham';
      const removedId = 'vneid-vi-giay-to';
      const newStep = 'Gọi ngay số tổng đài in ở mặt sau thẻ ngân hàng để đề nghị tra soát.';

      it('indexes every lesson on the first run', async () => {
        const report = await ingestLessons(db, lessons);
        expect([...report.indexed].sort()).toEqual(lessons.map((l) => l.id).sort());
        expect(report.removed).toEqual([]);
        expect(report.unchanged).toBe(0);
        expect(report.chunks).toBe(totalChunks(lessons));
        expect(report.embedded).toBe(totalChunks(lessons));
        expect(await count(db, 'SELECT * FROM lessons')).toBe(lessons.length);
        expect(await count(db, 'SELECT * FROM lesson_chunks')).toBe(totalChunks(lessons));
        expect(await count(db, 'SELECT * FROM lesson_phrases')).toBe(totalPhrases(lessons));
        expect(await count(db, 'SELECT * FROM chunk_embeddings WHERE space = $1', [hashEmbedder.space])).toBe(
          totalChunks(lessons),
        );
        const [stored] = await db.query<{ lesson: Lesson }>('SELECT lesson FROM lessons WHERE id = $1', [changedId]);
        expect(stored!.lesson.steps).toEqual(catalog.get(changedId)!.steps);
      });

      it('indexes nothing on a second run with the same lessons', async () => {
        const before = await chunkIds(db);
        const report = await ingestLessons(db, lessons);
        expect(report.indexed).toEqual([]);
        expect(report.removed).toEqual([]);
        expect(report.unchanged).toBe(lessons.length);
        expect(report.embedded).toBe(0);
        expect(await chunkIds(db)).toEqual(before);
      });

      it('re-indexes exactly the one lesson whose content changed', async () => {
        const original = catalog.get(changedId)!;
        const changed: Lesson = { ...original, steps: [...original.steps, newStep], hash: `${original.hash}-edited` };
        const othersBefore = await chunkIds(db);
        const ownBefore = await chunkIds(db, changedId);
        const report = await ingestLessons(
          db,
          lessons.map((l) => (l.id === changedId ? changed : l)),
        );
        expect(report.indexed).toEqual([changedId]);
        expect(report.unchanged).toBe(lessons.length - 1);
        expect(report.removed).toEqual([]);
        const ownAfter = await chunkIds(db, changedId);
        expect(ownAfter).toHaveLength(chunkLesson(changed).length);
        expect(ownAfter.some((id) => ownBefore.includes(id))).toBe(false);
        // Every other lesson kept its rows.
        const others = othersBefore.filter((id) => !ownBefore.includes(id));
        expect((await chunkIds(db)).filter((id) => !ownAfter.includes(id))).toEqual(others);
        const [steps] = await db.query<{ body: string }>(
          `SELECT body FROM lesson_chunks WHERE lesson_id = $1 AND kind = 'steps'`,
          [changedId],
        );
        expect(steps!.body).toContain(newStep);
        const [stored] = await db.query<{ lesson: Lesson }>('SELECT lesson FROM lessons WHERE id = $1', [changedId]);
        expect(stored!.lesson.steps.at(-1)).toBe(newStep);
        expect(await count(db, 'SELECT * FROM chunk_embeddings e JOIN lesson_chunks c ON c.id = e.chunk_id WHERE c.lesson_id = $1', [changedId])).toBe(
          ownAfter.length,
        );
      });

      it('deletes a removed lesson with its chunks, phrases and embeddings', async () => {
        const ids = await chunkIds(db, removedId);
        expect(ids.length).toBeGreaterThan(0);
        expect(await count(db, 'SELECT * FROM lesson_phrases WHERE lesson_id = $1', [removedId])).toBeGreaterThan(0);
        const kept = lessons.filter((l) => l.id !== removedId);
        const report = await ingestLessons(db, kept);
        expect(report.removed).toEqual([removedId]);
        // The edited lesson from the previous test is back to its original content, so it is re-indexed.
        expect(report.indexed).toEqual([changedId]);
        expect(await count(db, 'SELECT * FROM lessons WHERE id = $1', [removedId])).toBe(0);
        expect(await count(db, 'SELECT * FROM lesson_chunks WHERE lesson_id = $1', [removedId])).toBe(0);
        expect(await count(db, 'SELECT * FROM lesson_phrases WHERE lesson_id = $1', [removedId])).toBe(0);
        expect(await count(db, 'SELECT * FROM chunk_embeddings WHERE chunk_id = ANY($1::int[])', [ids])).toBe(0);
        expect(await count(db, 'SELECT * FROM lessons')).toBe(kept.length);
        expect(await count(db, 'SELECT * FROM lesson_chunks')).toBe(totalChunks(kept));
        expect(await count(db, 'SELECT * FROM chunk_embeddings')).toBe(totalChunks(kept));
        expect(await count(db, 'SELECT * FROM lesson_phrases')).toBe(totalPhrases(kept));
      });

      it('puts the removed lesson back when it returns', async () => {
        const report = await ingestLessons(db, lessons);
        expect(report.indexed).toEqual([removedId]);
        expect(report.unchanged).toBe(lessons.length - 1);
        expect(await count(db, 'SELECT * FROM lesson_chunks')).toBe(totalChunks(lessons));
        expect(await count(db, 'SELECT * FROM chunk_embeddings')).toBe(totalChunks(lessons));
      });

      it('gives every chunk a vector in a new embedding space without re-indexing lessons', async () => {
        const tiny: Embedder = {
          space: 'test:length:2',
          embed: async (texts) => texts.map((t) => [t.length, 1]),
        };
        const report = await ingestLessons(db, lessons, { embedder: tiny });
        expect(report.indexed).toEqual([]);
        expect(report.embedded).toBe(totalChunks(lessons));
        expect(await count(db, 'SELECT * FROM chunk_embeddings WHERE space = $1', [tiny.space])).toBe(totalChunks(lessons));
        expect(await count(db, 'SELECT * FROM chunk_embeddings WHERE space = $1', [hashEmbedder.space])).toBe(
          totalChunks(lessons),
        );
        expect((await ingestLessons(db, lessons, { embedder: tiny })).embedded).toBe(0);
        await db.query('DELETE FROM chunk_embeddings WHERE space = $1', [tiny.space]);
      });
    });

    describe('searchChunks + rankLessons', () => {
      const results = new Map<string, { lessonId: string; score: number }[]>();
      beforeAll(() => {
        topResults.set(backend.name, results);
      });

      it.each(QUESTIONS)('%s -> %s first', async (question, expected) => {
        const query = prepareQuery(question, catalog.typos);
        const hits = await searchChunks(db, query, { embedder: hashEmbedder });
        expect(hits.length).toBeGreaterThan(0);
        const ranked = rankLessons(hits);
        expect(ranked[0]!.lessonId.startsWith(expected), `top: ${ranked.map((r) => r.lessonId).slice(0, 3)}`).toBe(true);
        expect(ranked[0]!.chunks[0]!.lessonId).toBe(ranked[0]!.lessonId);
        for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(ranked[i]!.score);
        results.set(
          question,
          ranked.slice(0, 5).map((r) => ({ lessonId: r.lessonId, score: r.score })),
        );
      });

      it('with and without diacritics the same lesson comes first', async () => {
        const top = async (q: string) =>
          rankLessons(await searchChunks(db, prepareQuery(q, catalog.typos), { embedder: hashEmbedder }))[0]?.lessonId;
        expect(await top('cách kích hoạt VNeID')).toBe(await top('cach kich hoat vneid'));
        expect(await top('chuyển khoản nhầm')).toBe(await top('chuyen khoan nham'));
        expect(await top('chuyen khoan nham')).toBe('thanh-toan-chuyen-nham');
        // A typo the catalog corrects ("vnedi" -> "vneid") still finds the VNeID lesson.
        expect(await top('kich hoat vnedi')).toBe(await top('kich hoat vneid'));
      });

      it('a topic filter only returns lessons of that topic', async () => {
        const query = prepareQuery('chuyển khoản nhầm bị lừa', catalog.typos);
        const hits = await searchChunks(db, query, { embedder: hashEmbedder, topic: 'an-toan' });
        expect(hits.length).toBeGreaterThan(0);
        for (const h of hits) expect(catalog.get(h.lessonId)!.topic).toBe('an-toan');
      });
    });
  });
}

const bothSkip = backends.find((b) => b.skip)?.skip;
(bothSkip ? describe.skip : describe)(
  bothSkip ? `both backends agree (skipped: ${bothSkip})` : 'both backends agree',
  () => {
    it.each(QUESTIONS)('identical top lessons for "%s"', (question) => {
      const lite = topResults.get('pglite')?.get(question);
      const pg = topResults.get('postgres')?.get(question);
      expect(lite, 'pglite result recorded').toBeDefined();
      expect(pg, 'postgres result recorded').toBeDefined();
      expect(pg!.map((r) => r.lessonId)).toEqual(lite!.map((r) => r.lessonId));
      for (const [i, r] of pg!.entries()) expect(r.score).toBeCloseTo(lite![i]!.score, 6);
    });
  },
);

describe('PGlite DATA_DIR lock and persistence', () => {
  it('a second open of the same dataDir in one process throws DataDirLockedError; close releases it; data persists', async () => {
    const dir = makeTempDir('bhvs-lock-');
    try {
      const lockPath = join(dir.path, 'server.lock');
      const first = await openPglite(dir.path);
      try {
        expect(readFileSync(lockPath, 'utf8')).toBe(String(process.pid));
        const second = openPglite(dir.path);
        await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
        await expect(second).rejects.toThrow(/in use by process \d+/);
        await expect(second).rejects.toMatchObject({ pid: process.pid, dataDir: dir.path });
        // The failed attempt did not take or drop the lock.
        expect(readFileSync(lockPath, 'utf8')).toBe(String(process.pid));
        await first.exec(`CREATE TABLE kept (note text); INSERT INTO kept VALUES ('còn nguyên sau khi đóng')`);
      } finally {
        await first.close();
      }
      expect(existsSync(lockPath)).toBe(false);
      await first.close(); // a second close is harmless

      const reopened = await openPglite(dir.path);
      try {
        expect(readFileSync(lockPath, 'utf8')).toBe(String(process.pid));
        expect(await reopened.query('SELECT note FROM kept')).toEqual([{ note: 'còn nguyên sau khi đóng' }]);
      } finally {
        await reopened.close();
      }
      expect(existsSync(lockPath)).toBe(false);
    } finally {
      dir.remove();
    }
  });

  it('a second process opening the same dataDir exits non-zero with "in use"', async () => {
    const dir = makeTempDir('bhvs-lock-');
    const scripts = makeTempDir('bhvs-lock-script-');
    try {
      const db = await openPglite(dir.path);
      try {
        const script = join(scripts.path, 'open-same-dir.mts');
        const pglite = join(REPO_ROOT, 'bot-server/src/db/pglite.ts');
        writeFileSync(
          script,
          `import { openPglite } from ${JSON.stringify(pglite)};\n` +
            `const db = await openPglite(process.argv[2]);\n` +
            `await db.close();\n` +
            `console.log('opened the locked dataDir');\n`,
        );
        const child = spawnSync(process.execPath, ['--import', 'tsx', script, dir.path], {
          cwd: REPO_ROOT,
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(child.error).toBeUndefined();
        expect(child.stdout).not.toContain('opened the locked dataDir');
        expect(child.status, child.stderr).not.toBe(0);
        expect(child.status).not.toBeNull();
        expect(child.stderr).toContain('in use');
        expect(child.stderr).toContain(`process ${process.pid}`);
        // Our own database is untouched and still ours.
        expect(readFileSync(join(dir.path, 'server.lock'), 'utf8')).toBe(String(process.pid));
        expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      } finally {
        await db.close();
      }
    } finally {
      dir.remove();
      scripts.remove();
    }
  });

  it('a lock held by another live process is respected and left in place', async () => {
    const dir = makeTempDir('bhvs-lock-');
    try {
      const lockPath = join(dir.path, 'server.lock');
      // The vitest main process is alive for as long as this test runs.
      writeFileSync(lockPath, String(process.ppid));
      await expect(openPglite(dir.path)).rejects.toMatchObject({ name: 'DataDirLockedError', pid: process.ppid });
      expect(readFileSync(lockPath, 'utf8')).toBe(String(process.ppid));
    } finally {
      dir.remove();
    }
  });

  it('a stale lock left by a dead process is taken over', async () => {
    const dir = makeTempDir('bhvs-lock-');
    try {
      const exited = spawnSync(process.execPath, ['-e', '']);
      const deadPid = exited.pid!;
      expect(exited.status).toBe(0);
      expect(() => process.kill(deadPid, 0)).toThrow(); // really gone
      const lockPath = join(dir.path, 'server.lock');
      writeFileSync(lockPath, String(deadPid));
      const db = await openPglite(dir.path);
      try {
        expect(readFileSync(lockPath, 'utf8')).toBe(String(process.pid));
        expect(await db.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
      } finally {
        await db.close();
      }
      expect(existsSync(lockPath)).toBe(false);
    } finally {
      dir.remove();
    }
  });
});
