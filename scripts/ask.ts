/**
 * Ask the assistant from the command line, with the same pipeline and DATA_DIR as the server.
 *   npm run ask -- "cách kích hoạt vneid"          one readable answer
 *   npm run --silent ask -- --jsonl < q.jsonl      {"id","question"} lines in, one JSON line out per question
 * In --jsonl mode stdout carries answers only; everything else goes to stderr.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../bot-server/src/config.js';
import { openContext } from '../bot-server/src/context.js';
import { answerQuestion } from './lib/answer.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const jsonl = args.includes('--jsonl');
  const question = args.filter((a) => a !== '--jsonl').join(' ').trim();
  if (!jsonl && !question) {
    console.error('usage: npm run ask -- "câu hỏi"   |   npm run --silent ask -- --jsonl < questions.jsonl');
    process.exit(2);
  }
  const config = loadConfig();
  const ctx = await openContext(config);
  if (ctx.ingest.indexed.length > 0) console.error(`indexed ${ctx.ingest.indexed.length} lesson(s) first`);
  try {
    if (!jsonl) {
      const out = await answerQuestion(ctx.assistant, { id: 'cli', question });
      console.log(`[${out.kind}] (${out.ms} ms)\n${out.answer}`);
      if (out.lessons.length) console.log(`\nBài học: ${out.lessons.map((l) => `${l.title} (${l.id})`).join(' · ')}`);
      if (out.next) console.log(`Bài nên học tiếp: ${out.next.title} (${out.next.id})`);
      if (out.choices) console.log(`Lựa chọn: ${out.choices.map((c) => c.label).join(' | ')}`);
      return;
    }
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      if (!line.trim()) continue;
      n++;
      let item: { id?: unknown; question?: unknown };
      try {
        item = JSON.parse(line);
      } catch {
        console.error(`line ${n}: not JSON, skipped`);
        continue;
      }
      if (typeof item.question !== 'string') {
        console.error(`line ${n}: no "question" string, skipped`);
        continue;
      }
      const { next: _next, choices: _choices, ...out } = await answerQuestion(ctx.assistant, {
        id: String(item.id ?? n),
        question: item.question,
      });
      process.stdout.write(`${JSON.stringify(out)}\n`);
    }
  } finally {
    await ctx.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
