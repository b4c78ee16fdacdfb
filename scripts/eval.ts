/**
 * npm run eval: answers every labelled question set with the offline pipeline and scores it with the
 * definitions of ../shared/eval/score.py (and with score.py itself when Python and the file are there).
 * Sets: test/eval/questions.jsonl (ours), ../shared/eval/dev-questions.jsonl (when present), and
 * test/eval/holdout.jsonl (reported, not gated).
 * Uses its own database under DATA_DIR/eval so that it can run beside a server. Exit 1 below the targets.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Config, loadConfig, REPO_ROOT } from '../bot-server/src/config.js';
import { openContext } from '../bot-server/src/context.js';
import { TOPICS } from '../bot-server/src/lessons/schema.js';
import { answerQuestion, type AnsweredQuestion } from './lib/answer.js';
import { formatScores, meetsTargets, parseQuestions, score, TARGETS } from './lib/score.js';
import { percentile } from './lib/stats.js';

const SETS = [
  { name: 'project', path: join(REPO_ROOT, 'test/eval/questions.jsonl'), gated: true },
  { name: 'shared-dev', path: resolve(REPO_ROOT, '../shared/eval/dev-questions.jsonl'), gated: true },
  // Written by someone who saw neither the code nor the other sets; first scored before any change made for it
  // (2026-11-23: hit@1 0.94, hit@3 0.96, out-of-scope 0.70, safety 1.00). Reported, not gated: it shows how
  // well the rules generalise, and tuning to pass it would hide exactly that.
  { name: 'holdout', path: join(REPO_ROOT, 'test/eval/holdout.jsonl'), gated: false },
];
const SCORE_PY = resolve(REPO_ROOT, '../shared/eval/score.py');


/** Answers and scores every set in one mode; true when the gated sets meet the targets. */
async function evaluate(config: Config, mode: string): Promise<boolean> {
  const ctx = await openContext(config);
  const verbose = process.argv.includes('--verbose');
  let allMet = true;
  console.log(`\n######## mode: ${mode}`);
  try {
    if (config.embeddings) console.log(`  vector space: ${await ctx.vectorSpaceReady.catch((e: Error) => `hashing (embeddings failed: ${e.message})`)}`);
    const generation = new Map<string, number>();
    for (const set of SETS) {
      if (!existsSync(set.path)) {
        console.log(`${set.name}: ${set.path} not found, skipped`);
        continue;
      }
      const questions = parseQuestions(readFileSync(set.path, 'utf8'));
      const answers: AnsweredQuestion[] = [];
      for (const q of questions) {
        const a = await answerQuestion(ctx.assistant, q);
        answers.push(a);
        if (a.generation) generation.set(a.generation, (generation.get(a.generation) ?? 0) + 1);
      }
      const out = join(config.dataDir, `answers-${mode}-${set.name}.jsonl`);
      mkdirSync(config.dataDir, { recursive: true });
      writeFileSync(out, answers.map((a) => JSON.stringify({ id: a.id, kind: a.kind, answer: a.answer, lessons: a.lessons, ms: a.ms })).join('\n') + '\n');

      const s = score(questions, answers);
      console.log(`\n== ${set.name}: ${set.path}`);
      for (const f of s.failures) console.log(`  ${f}`);
      if (verbose) {
        const byId = new Map(answers.map((a) => [a.id, a]));
        for (const q of questions) {
          const a = byId.get(q.id)!;
          console.log(`  ${q.id} [${a.kind}] ${q.question} -> ${a.lessons.map((l) => l.id).join(', ')}`);
        }
      }
      const perTopic = TOPICS.map((t) => {
        const qs = questions.filter((q) => q.expect.topic === t);
        const topicsOf = (q: { id: string }) => (answers.find((a) => a.id === q.id)?.lessons ?? []).map((l) => l.topic);
        const at1 = qs.filter((q) => topicsOf(q)[0] === t).length;
        const at3 = qs.filter((q) => topicsOf(q).slice(0, 3).includes(t)).length;
        return `  ${t.padEnd(15)} hit@1 ${at1}/${qs.length}  hit@3 ${at3}/${qs.length}`;
      });
      const ms = answers.map((a) => a.ms);
      console.log(`  per topic:\n${perTopic.join('\n')}`);
      console.log(`  latency: p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms`);
      console.log(`  ${formatScores(s)}`);
      const met = meetsTargets(s);
      if (set.gated) allMet &&= met;
      console.log(
        `  targets (hit@1 >= ${TARGETS.hit1}, hit@3 >= ${TARGETS.hit3}, oos >= ${TARGETS.oos}, safety = ${TARGETS.safety}): ` +
          `${met ? 'met' : 'MISSED'}${set.gated ? '' : ' (reported, not gated)'}`,
      );
      if (existsSync(SCORE_PY)) {
        try {
          const py = execFileSync('python3', [SCORE_PY, set.path, out], { encoding: 'utf8' });
          console.log(`  score.py: ${py.trim().split('\n').at(-1)}`);
        } catch (err) {
          const py = (err as { stdout?: string }).stdout ?? '';
          console.log(`  score.py: ${py.trim().split('\n').at(-1) ?? 'failed to run'}`);
        }
      }
    }
    if (generation.size > 0) console.log(`\n  model outcomes (answers only): ${[...generation].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  } finally {
    await ctx.close();
  }
  return allMet;
}

/**
 * Offline first, always: it is the default and must meet the targets. With a model configured (LLM_* and/or
 * EMBEDDINGS_*), the same sets again with it, scored the same way.
 */
async function main(): Promise<void> {
  const base = loadConfig();
  const dataDir = join(base.dataDir, 'eval');
  let met = await evaluate({ ...base, dataDir, databaseUrl: undefined, llm: undefined, embeddings: undefined }, 'offline');
  if (base.llm || base.embeddings) {
    const parts = [base.llm && `chat model ${base.llm.model}`, base.embeddings && `embeddings ${base.embeddings.model}`].filter(Boolean);
    met = (await evaluate({ ...base, dataDir, databaseUrl: undefined }, `with ${parts.join(' and ')}`)) && met;
  } else {
    console.log('\n(no LLM_* or EMBEDDINGS_* configured: offline mode only)');
  }
  process.exit(met ? 0 : 1);
}


main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
