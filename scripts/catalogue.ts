/**
 * npm run catalogue: writes knowledge/CATALOGUE.md, the map of every lesson by topic with its level, prerequisites
 * and DigComp areas, from the lesson files themselves (a test checks it is up to date).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../bot-server/src/config.js';
import { loadLessons } from '../bot-server/src/lessons/load.js';
import { type Lesson, TOPIC_LABELS, TOPICS } from '../bot-server/src/lessons/schema.js';

export function renderCatalogue(lessons: Lesson[]): string {
  const lines = [
    '# Lesson catalogue',
    '',
    `${lessons.length} lessons. Generated from the lesson files by \`npm run catalogue\`; do not edit by hand.`,
    'Level 1 = first steps, 2 = needs level-1 skills, 3 = more advanced. A lesson is learnt after its prerequisites.',
    '',
  ];
  for (const topic of TOPICS) {
    const inTopic = lessons.filter((l) => l.topic === topic).sort((a, b) => a.level - b.level || a.id.localeCompare(b.id));
    lines.push(`## ${TOPIC_LABELS[topic]} (\`${topic}\`, ${inTopic.length})`, '', '| lesson | level | after | DigComp |', '|---|---|---|---|');
    for (const l of inTopic) {
      lines.push(`| ${l.title} (\`${l.id}\`) | ${l.level} | ${l.prerequisites.map((p) => `\`${p}\``).join(', ') || 'start'} | ${l.digcomp.join(', ')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('catalogue.ts')) {
  const dir = loadConfig().knowledgeDir;
  writeFileSync(join(dir, 'CATALOGUE.md'), renderCatalogue(loadLessons(dir)));
  console.log(`wrote ${join(dir, 'CATALOGUE.md')}`);
}
