import type { Lesson } from './schema.js';

export type ChunkKind = 'head' | 'steps' | 'pitfalls' | 'body' | 'quiz';

export interface Chunk {
  lessonId: string;
  ord: number;
  kind: ChunkKind;
  body: string;
}

/** Bump when chunking changes, so every lesson is re-indexed once. */
export const CHUNKER_VERSION = 1;

const BODY_CHUNK_CHARS = 700;

/** Splits Markdown into paragraphs of plain text, grouped up to BODY_CHUNK_CHARS. */
function bodyParts(markdown: string): string[] {
  const paragraphs = markdown
    .split(/\n\s*\n/)
    .map((p) => p.replace(/^#+\s*/gm, '').replace(/[*_`>]/g, '').replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const parts: string[] = [];
  let current = '';
  for (const p of paragraphs) {
    if (current && current.length + p.length > BODY_CHUNK_CHARS) {
      parts.push(current);
      current = '';
    }
    current = current ? `${current} ${p}` : p;
  }
  if (current) parts.push(current);
  return parts;
}

/**
 * A lesson becomes a few chunks with different jobs: the head (title, summary, keywords: how people ask),
 * the steps, what can go wrong, the explanation and the quiz. Every chunk starts with the title so it
 * carries its context when retrieved alone.
 */
export function chunkLesson(lesson: Lesson): Chunk[] {
  const t = lesson.title;
  const texts: [ChunkKind, string][] = [
    ['head', `${t}. ${lesson.summary} ${lesson.keywords.join('; ')}`],
    ['steps', `${t}. ${lesson.steps.join(' ')}`],
  ];
  if (lesson.pitfalls.length > 0) texts.push(['pitfalls', `${t}. ${lesson.pitfalls.join(' ')}`]);
  for (const part of bodyParts(lesson.body)) texts.push(['body', `${t}. ${part}`]);
  texts.push(['quiz', `${t}. ${lesson.quiz.map((q) => `${q.question} ${q.why}`).join(' ')}`]);
  return texts.map(([kind, body], ord) => ({ lessonId: lesson.id, ord, kind, body }));
}
