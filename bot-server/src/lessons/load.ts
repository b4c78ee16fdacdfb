import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type Lesson, LessonSchema } from './schema.js';

export interface LessonProblem {
  file: string;
  field: string;
  reason: string;
}

export class LessonValidationError extends Error {
  constructor(readonly problems: LessonProblem[]) {
    super(
      `${problems.length} problem(s) in the lessons:\n` +
        problems.map((p) => `  ${p.file}: ${p.field}: ${p.reason}`).join('\n'),
    );
    this.name = 'LessonValidationError';
  }
}

/** Illustrations live in knowledge/media/, which holds no lessons. */
export const MEDIA_FOLDER = 'media';

/** Lesson files are knowledge/<topic>/<id>.md; files at the top (README.md, CATALOGUE.md) are documentation. */
export function listLessonFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === MEDIA_FOLDER) continue;
    for (const f of readdirSync(join(dir, entry.name), { withFileTypes: true })) {
      if (f.isFile() && f.name.endsWith('.md')) files.push(join(dir, entry.name, f.name));
    }
  }
  return files.sort();
}

const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/;

/** Parses and validates one lesson file; problems are collected, not thrown. */
export function parseLessonFile(path: string, raw: string, root: string, problems: LessonProblem[]): Lesson | undefined {
  const file = relative(root, path);
  const m = FRONT_MATTER.exec(raw);
  if (!m) {
    problems.push({ file, field: '(front matter)', reason: 'the file must start with YAML front matter between --- lines' });
    return undefined;
  }
  let data: unknown;
  try {
    data = parseYaml(m[1]!);
  } catch (err) {
    problems.push({ file, field: '(front matter)', reason: `invalid YAML: ${(err as Error).message.split('\n')[0]}` });
    return undefined;
  }
  const parsed = LessonSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ file, field: issue.path.join('.') || '(front matter)', reason: issue.message });
    }
    return undefined;
  }
  const { steps, ...fields } = parsed.data;
  const lesson = {
    ...fields,
    steps: steps.map((s) => (typeof s === 'string' ? s : s.text)),
    images: steps.map((s) => (typeof s === 'string' ? null : s.image)),
  };
  const expectedName = `${lesson.id}.md`;
  if (!path.endsWith(`/${expectedName}`)) {
    problems.push({ file, field: 'id', reason: `id "${lesson.id}" must match the file name (${expectedName})` });
  }
  const folder = file.split('/').at(-2);
  if (folder !== lesson.topic) {
    problems.push({ file, field: 'topic', reason: `topic "${lesson.topic}" must match its folder "${folder}"` });
  }
  const hash = createHash('sha256').update(raw).digest('hex');
  return { ...lesson, body: m[2]!.trim(), file, hash };
}

/** Every illustration a step names must exist as knowledge/media/<name>.svg. */
export function checkImages(lessons: Lesson[], mediaDir: string, problems: LessonProblem[]): void {
  const available = existsSync(mediaDir)
    ? new Set(readdirSync(mediaDir).filter((f) => f.endsWith('.svg')).map((f) => f.slice(0, -4)))
    : new Set<string>();
  for (const l of lessons) {
    l.images.forEach((image, i) => {
      if (image !== null && !available.has(image)) {
        problems.push({ file: l.file, field: `steps.${i}.image`, reason: `no illustration "${image}" (expected media/${image}.svg)` });
      }
    });
  }
}

/** Checks what no single file can: unique ids, existing prerequisites, level-1 starting points, no prerequisite cycle. */
export function checkLessonGraph(lessons: Lesson[], problems: LessonProblem[]): void {
  const byId = new Map<string, Lesson>();
  for (const l of lessons) {
    const first = byId.get(l.id);
    if (first) problems.push({ file: l.file, field: 'id', reason: `duplicate id "${l.id}" (also in ${first.file})` });
    else byId.set(l.id, l);
  }
  for (const l of lessons) {
    // Every lesson must be reachable from a starting point, and a starting point is for beginners.
    if (l.prerequisites.length === 0 && l.level !== 1) {
      problems.push({ file: l.file, field: 'level', reason: `a lesson without prerequisites is a starting point and must be level 1 (is ${l.level})` });
    }
    for (const p of l.prerequisites) {
      if (p === l.id) problems.push({ file: l.file, field: 'prerequisites', reason: 'a lesson cannot require itself' });
      else if (!byId.has(p)) problems.push({ file: l.file, field: 'prerequisites', reason: `missing prerequisite "${p}"` });
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      const key = [...cycle].sort().join(',');
      if (!reported.has(key)) {
        reported.add(key);
        problems.push({ file: byId.get(id)!.file, field: 'prerequisites', reason: `prerequisite cycle: ${cycle.join(' -> ')}` });
      }
      return;
    }
    state.set(id, 'visiting');
    for (const p of byId.get(id)?.prerequisites ?? []) if (byId.has(p) && p !== id) visit(p, [...path, id]);
    state.set(id, 'done');
  };
  for (const id of byId.keys()) visit(id, []);
}

/** Loads every lesson under dir, or throws LessonValidationError naming each file, field and reason. */
export function loadLessons(dir: string): Lesson[] {
  const problems: LessonProblem[] = [];
  const lessons: Lesson[] = [];
  for (const path of listLessonFiles(dir)) {
    const lesson = parseLessonFile(path, readFileSync(path, 'utf8'), dir, problems);
    if (lesson) lessons.push(lesson);
  }
  checkLessonGraph(lessons, problems);
  checkImages(lessons, join(dir, MEDIA_FOLDER), problems);
  if (problems.length > 0) throw new LessonValidationError(problems);
  return lessons;
}
