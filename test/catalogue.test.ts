/**
 * The real lesson catalogue (knowledge/) checked as a whole: size and coverage, the prerequisite graph,
 * readability for older readers, how it reads aloud, quizzes and sources. The loader already refuses broken
 * files; these are the editorial rules on top.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../bot-server/src/config.js';
import { loadLessons } from '../bot-server/src/lessons/load.js';
import { type Lesson, TOPICS } from '../bot-server/src/lessons/schema.js';
import { foldVietnamese } from '../bot-server/src/text/fold.js';
import { renderCatalogue } from '../scripts/catalogue.js';


const lessons: Lesson[] = loadLessons(join(REPO_ROOT, 'knowledge'));
const byId = new Map(lessons.map((l) => [l.id, l]));
const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

describe('the lesson catalogue', () => {
  it('has at least 40 lessons over all seven topics, with levels 1 to 3 in use', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(40);
    for (const t of TOPICS) expect(lessons.filter((l) => l.topic === t).length, t).toBeGreaterThanOrEqual(4);
    expect([...new Set(lessons.map((l) => l.level))].sort()).toEqual([1, 2, 3]);
  });

  it('every topic has a level-1 entry point: a lesson that needs nothing from its own topic', () => {
    for (const t of TOPICS) {
      const starts = lessons.filter((l) => l.topic === t && l.level === 1 && l.prerequisites.every((p) => byId.get(p)!.topic !== t));
      expect(starts.length, t).toBeGreaterThan(0);
    }
  });

  it('every lesson is reachable from level-1 starting points by learning its prerequisites first', () => {
    const reachable = new Set(lessons.filter((l) => l.prerequisites.length === 0 && l.level === 1).map((l) => l.id));
    let grew = true;
    while (grew) {
      grew = false;
      for (const l of lessons) {
        if (!reachable.has(l.id) && l.prerequisites.every((p) => reachable.has(p))) {
          reachable.add(l.id);
          grew = true;
        }
      }
    }
    expect(lessons.filter((l) => !reachable.has(l.id)).map((l) => l.id)).toEqual([]);
  });

  it('a lesson is never easier than what it requires', () => {
    const problems = lessons.flatMap((l) =>
      l.prerequisites.filter((p) => byId.get(p)!.level > l.level).map((p) => `${l.id} (level ${l.level}) needs ${p} (level ${byId.get(p)!.level})`),
    );
    expect(problems).toEqual([]);
  });

  it('is readable: 3-7 steps, each at most 30 words; summaries and pitfalls short', () => {
    const problems: string[] = [];
    for (const l of lessons) {
      if (l.steps.length < 3 || l.steps.length > 7) problems.push(`${l.id}: ${l.steps.length} steps`);
      l.steps.forEach((s, i) => words(s) > 30 && problems.push(`${l.id} step ${i + 1}: ${words(s)} words`));
      if (words(l.summary) > 45) problems.push(`${l.id} summary: ${words(l.summary)} words`);
      // The body is one search chunk, and a chunk row must fit in a database page (migration 003).
      if (words(l.body) > 250) problems.push(`${l.id} body: ${words(l.body)} words`);
      l.pitfalls.forEach((p, i) => words(p) > 40 && problems.push(`${l.id} pitfall ${i + 1}: ${words(p)} words`));
    }
    expect(problems).toEqual([]);
  });

  it('reads well aloud: no tables, arrows, ampersands, emoji or markup in what is spoken', () => {
    // The body is Markdown: its emphasis marks are formatting, not spoken.
    const spoken = (l: Lesson) => [
      l.title,
      l.summary,
      ...l.steps,
      ...l.pitfalls,
      ...l.quiz.flatMap((q) => [q.question, ...q.options, q.why]),
      l.body.replace(/\*\*|__/g, ''),
    ];
    const bad = /[|→←⇒➜<>*_`~]|\p{Extended_Pictographic}/u;
    const problems = lessons.flatMap((l) => spoken(l).flatMap((t) => (bad.test(t) ? [`${l.id}: "${bad.exec(t)![0]}" in ${t.slice(0, 50)}`] : [])));
    expect(problems).toEqual([]);
  });

  it('quizzes have 2-4 questions, 2-4 options each, a valid answer and an explanation', () => {
    const problems: string[] = [];
    for (const l of lessons) {
      if (l.quiz.length < 2 || l.quiz.length > 4) problems.push(`${l.id}: ${l.quiz.length} questions`);
      for (const q of l.quiz) {
        if (q.options.length < 2 || q.options.length > 4) problems.push(`${l.id}: ${q.options.length} options in "${q.question}"`);
        if (!(q.answer >= 0 && q.answer < q.options.length)) problems.push(`${l.id}: answer out of range in "${q.question}"`);
        if (new Set(q.options).size !== q.options.length) problems.push(`${l.id}: repeated option in "${q.question}"`);
        if (words(q.why) < 4) problems.push(`${l.id}: explanation too short in "${q.question}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('cites sources with the date each was checked, none in the future', () => {
    const today = new Date().toISOString().slice(0, 10);
    const problems: string[] = [];
    for (const l of lessons) {
      if (l.sources.length === 0) problems.push(`${l.id}: no source`);
      for (const s of l.sources) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(s.checked) || s.checked > today || s.checked < '2024-01-01') problems.push(`${l.id}: ${s.url} checked ${s.checked}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keywords include how people type: some without diacritics; DigComp areas are tagged', () => {
    const problems: string[] = [];
    for (const l of lessons) {
      if (l.keywords.length < 5) problems.push(`${l.id}: only ${l.keywords.length} keywords`);
      if (!l.keywords.some((k) => foldVietnamese(k) === k.toLowerCase())) problems.push(`${l.id}: no keyword without diacritics`);
      if (l.digcomp.length === 0 || !l.digcomp.every((d) => /^[1-5]\.[1-6]$/.test(d))) problems.push(`${l.id}: digcomp ${JSON.stringify(l.digcomp)}`);
    }
    expect(problems).toEqual([]);
  });

  it('a lesson about installing or using an app sends people to the official stores, never to a link', () => {
    const problems = lessons.flatMap((l) =>
      l.steps.filter((s) => /\b(tải|cài)\b.*\bứng dụng\b.*\b(từ|qua|theo)\s+(đường\s+)?link\b/i.test(s)).map((s) => `${l.id}: ${s}`),
    );
    expect(problems).toEqual([]);
  });

  it('knowledge/CATALOGUE.md is up to date (npm run catalogue)', () => {
    expect(readFileSync(join(REPO_ROOT, 'knowledge', 'CATALOGUE.md'), 'utf8')).toBe(renderCatalogue(lessons));
  });
});
