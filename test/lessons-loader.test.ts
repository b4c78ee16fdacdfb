import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../bot-server/src/config.js';
import { type LessonProblem, LessonValidationError, loadLessons } from '../bot-server/src/lessons/load.js';
import { TOPICS } from '../bot-server/src/lessons/schema.js';
import { makeTempDir } from './helpers.js';

/** A valid lesson's front matter; each case breaks exactly one thing. */
function frontMatter(id: string, topic: string = 'vneid', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    title: `Bài học ${id}`,
    topic,
    level: 1,
    summary: 'Bác làm được một việc nhỏ trên điện thoại.',
    prerequisites: [],
    keywords: ['bài học thử', 'bai hoc thu'],
    sources: [{ url: 'https://dichvucong.gov.vn/huong-dan', title: 'Hướng dẫn', checked: '2026-01-15' }],
    steps: ['Mở ứng dụng.', 'Bấm nút Đăng nhập.', 'Nhập mật khẩu.'],
    quiz: [{ question: 'Bác mở gì trước?', options: ['Ứng dụng', 'Đường link lạ'], answer: 0, why: 'Chỉ dùng ứng dụng thật.' }],
    ...extra,
  };
}

const lessonFile = (data: Record<string, unknown>, body = 'Vì sao bài này quan trọng.') => `---\n${stringify(data)}---\n${body}\n`;

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

/** A temporary knowledge folder holding the given files (path relative to it -> content). */
function knowledge(files: Record<string, string>): string {
  const dir = makeTempDir('bhvs-knowledge-');
  dirs.push(dir);
  writeFileSync(join(dir.path, 'README.md'), '# Not a lesson: top-level files are documentation.\n');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir.path, path, '..'), { recursive: true });
    writeFileSync(join(dir.path, path), content);
  }
  return dir.path;
}

/** The problems loadLessons reports; fails the test when it loads without complaint. */
function problemsOf(dir: string): LessonProblem[] {
  try {
    loadLessons(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(LessonValidationError);
    const { problems, message } = err as LessonValidationError;
    for (const p of problems) expect(message).toContain(`${p.file}: ${p.field}: ${p.reason}`);
    return problems;
  }
  throw new Error('loadLessons accepted the broken lessons');
}

describe('loadLessons on a valid folder', () => {
  it('loads valid lessons and ignores top-level documentation files', () => {
    const dir = knowledge({
      'vneid/bai-mot.md': lessonFile(frontMatter('bai-mot')),
      'an-toan/bai-hai.md': lessonFile(frontMatter('bai-hai', 'an-toan', { prerequisites: ['bai-mot'], level: 2 })),
    });
    const lessons = loadLessons(dir);
    expect(lessons.map((l) => [l.id, l.topic, l.file])).toEqual([
      ['bai-hai', 'an-toan', 'an-toan/bai-hai.md'],
      ['bai-mot', 'vneid', 'vneid/bai-mot.md'],
    ]);
    const two = lessons[0]!;
    expect(two.prerequisites).toEqual(['bai-mot']);
    expect(two.body).toBe('Vì sao bài này quan trọng.');
    expect(two.pitfalls).toEqual([]);
    expect(two.images).toEqual([null, null, null]);
    expect(two.hash).toBe(createHash('sha256').update(readFileSync(join(dir, 'an-toan/bai-hai.md'))).digest('hex'));
  });
});

describe('step illustrations', () => {
  it('a step may carry an illustration from media/; text and picture keep their order', () => {
    const dir = knowledge({
      'vneid/co-anh.md': lessonFile(
        frontMatter('co-anh', 'vneid', { steps: [{ text: 'Mở CH Play.', image: 'cua-hang' }, 'Tìm VNeID.', { text: 'Bấm Cài đặt.', image: 'cua-hang' }] }),
      ),
    });
    mkdirSync(join(dir, 'media'));
    writeFileSync(join(dir, 'media', 'cua-hang.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const [lesson] = loadLessons(dir);
    expect(lesson!.steps).toEqual(['Mở CH Play.', 'Tìm VNeID.', 'Bấm Cài đặt.']);
    expect(lesson!.images).toEqual(['cua-hang', null, 'cua-hang']);
  });
});

describe('loadLessons rejects a broken lesson with its file, field and reason', () => {
  interface Case {
    name: string;
    files: Record<string, string>;
    file: string;
    field: string;
    reason: RegExp;
  }
  const cases: Case[] = [
    {
      name: 'unknown topic',
      files: { 'nong-nghiep/ban-lua.md': lessonFile(frontMatter('ban-lua', 'nong-nghiep')) },
      file: 'nong-nghiep/ban-lua.md',
      field: 'topic',
      reason: /unknown topic.*vneid/,
    },
    {
      name: 'topic not matching its folder',
      files: { 'vneid/lac-cho.md': lessonFile(frontMatter('lac-cho', 'an-toan')) },
      file: 'vneid/lac-cho.md',
      field: 'topic',
      reason: /topic "an-toan" must match its folder "vneid"/,
    },
    {
      name: 'duplicate id in two files',
      files: {
        'an-toan/trung-ten.md': lessonFile(frontMatter('trung-ten', 'an-toan')),
        'vneid/trung-ten.md': lessonFile(frontMatter('trung-ten', 'vneid')),
      },
      file: 'vneid/trung-ten.md',
      field: 'id',
      reason: /duplicate id "trung-ten" \(also in an-toan\/trung-ten\.md\)/,
    },
    {
      name: 'missing prerequisite',
      files: { 'vneid/can-bai-khac.md': lessonFile(frontMatter('can-bai-khac', 'vneid', { prerequisites: ['khong-ton-tai'] })) },
      file: 'vneid/can-bai-khac.md',
      field: 'prerequisites',
      reason: /missing prerequisite "khong-ton-tai"/,
    },
    {
      name: 'prerequisite cycle a -> b -> a',
      files: {
        'vneid/vong-a.md': lessonFile(frontMatter('vong-a', 'vneid', { prerequisites: ['vong-b'] })),
        'vneid/vong-b.md': lessonFile(frontMatter('vong-b', 'vneid', { prerequisites: ['vong-a'] })),
      },
      file: 'vneid/vong-a.md',
      field: 'prerequisites',
      reason: /prerequisite cycle: vong-a -> vong-b -> vong-a/,
    },
    {
      name: 'prerequisite cycle over three lessons',
      files: {
        'vneid/vong-a.md': lessonFile(frontMatter('vong-a', 'vneid', { prerequisites: ['vong-c'] })),
        'vneid/vong-b.md': lessonFile(frontMatter('vong-b', 'vneid', { prerequisites: ['vong-a'] })),
        'an-toan/vong-c.md': lessonFile(frontMatter('vong-c', 'an-toan', { prerequisites: ['vong-b'] })),
      },
      file: 'an-toan/vong-c.md',
      field: 'prerequisites',
      reason: /prerequisite cycle: vong-c -> vong-b -> vong-a -> vong-c/,
    },
    {
      name: 'a lesson requiring itself',
      files: { 'vneid/tu-than.md': lessonFile(frontMatter('tu-than', 'vneid', { prerequisites: ['tu-than'] })) },
      file: 'vneid/tu-than.md',
      field: 'prerequisites',
      reason: /cannot require itself/,
    },
    {
      name: 'quiz answer out of range',
      files: {
        'vneid/dap-an-sai.md': lessonFile(
          frontMatter('dap-an-sai', 'vneid', {
            quiz: [
              { question: 'Câu một?', options: ['Có', 'Không'], answer: 1, why: 'Vì thế.' },
              { question: 'Câu hai?', options: ['Có', 'Không'], answer: 2, why: 'Vì thế.' },
            ],
          }),
        ),
      },
      file: 'vneid/dap-an-sai.md',
      field: 'quiz.1.answer',
      reason: /answer index 2 is out of range \(0-1\)/,
    },
    {
      name: 'no source (empty list)',
      files: { 'vneid/khong-nguon.md': lessonFile(frontMatter('khong-nguon', 'vneid', { sources: [] })) },
      file: 'vneid/khong-nguon.md',
      field: 'sources',
      reason: /no source/,
    },
    {
      name: 'no source (field left out)',
      files: { 'vneid/khong-nguon.md': lessonFile(frontMatter('khong-nguon', 'vneid', { sources: undefined })) },
      file: 'vneid/khong-nguon.md',
      field: 'sources',
      reason: /no source/,
    },
    {
      name: 'too few steps',
      files: { 'vneid/it-buoc.md': lessonFile(frontMatter('it-buoc', 'vneid', { steps: ['Mở ứng dụng.', 'Bấm nút.'] })) },
      file: 'vneid/it-buoc.md',
      field: 'steps',
      reason: /3 to 7 steps/,
    },
    {
      name: 'too many steps',
      files: {
        'vneid/nhieu-buoc.md': lessonFile(
          frontMatter('nhieu-buoc', 'vneid', { steps: Array.from({ length: 8 }, (_, i) => `Bước ${i + 1}.`) }),
        ),
      },
      file: 'vneid/nhieu-buoc.md',
      field: 'steps',
      reason: /3 to 7 steps/,
    },
    {
      name: 'invalid YAML',
      files: { 'vneid/yaml-hong.md': '---\nid: yaml-hong\ntitle: [chưa đóng ngoặc\ntopic: vneid\n---\nNội dung.\n' },
      file: 'vneid/yaml-hong.md',
      field: '(front matter)',
      reason: /^invalid YAML: /,
    },
    {
      name: 'no front matter',
      files: { 'vneid/khong-front-matter.md': '# Kích hoạt VNeID\n\nBác mở ứng dụng.\n' },
      file: 'vneid/khong-front-matter.md',
      field: '(front matter)',
      reason: /must start with YAML front matter/,
    },
    {
      name: 'a starting point (no prerequisites) above level 1',
      files: { 'vneid/kho-qua.md': lessonFile(frontMatter('kho-qua', 'vneid', { level: 2 })) },
      file: 'vneid/kho-qua.md',
      field: 'level',
      reason: /starting point and must be level 1/,
    },
    {
      name: 'a step naming an illustration that does not exist',
      files: {
        'vneid/thieu-anh.md': lessonFile(
          frontMatter('thieu-anh', 'vneid', { steps: ['Mở ứng dụng.', { text: 'Quét mã.', image: 'khong-co-hinh' }, 'Xong.'] }),
        ),
      },
      file: 'vneid/thieu-anh.md',
      field: 'steps.1.image',
      reason: /no illustration "khong-co-hinh"/,
    },
    {
      name: 'id not matching the file name',
      files: { 'vneid/ten-file.md': lessonFile(frontMatter('ten-khac')) },
      file: 'vneid/ten-file.md',
      field: 'id',
      reason: /id "ten-khac" must match the file name \(ten-khac\.md\)/,
    },
  ];

  it.each(cases)('$name', ({ files, file, field, reason }) => {
    const problems = problemsOf(knowledge(files));
    // Exactly one problem: the fixture is valid apart from the one thing the case breaks.
    expect(problems, JSON.stringify(problems, null, 2)).toHaveLength(1);
    expect(problems[0]!.file).toBe(file);
    expect(problems[0]!.field).toBe(field);
    expect(problems[0]!.reason).toMatch(reason);
  });

  it('reports every problem of every file in one error, not only the first', () => {
    const problems = problemsOf(
      knowledge({
        'vneid/ok.md': lessonFile(frontMatter('ok')),
        'vneid/hai-loi.md': lessonFile(frontMatter('hai-loi', 'vneid', { sources: [], steps: ['Một bước.'] })),
        'an-toan/thieu.md': lessonFile(frontMatter('thieu', 'an-toan', { prerequisites: ['khong-co'] })),
      }),
    );
    expect(problems.map((p) => `${p.file} ${p.field}`).sort()).toEqual([
      'an-toan/thieu.md prerequisites',
      'vneid/hai-loi.md sources',
      'vneid/hai-loi.md steps',
    ]);
  });
});

describe('the real knowledge folder', () => {
  const dir = join(REPO_ROOT, 'knowledge');

  it('loads without problems: every lesson file, unique ids, ids equal to file names, topics equal to folders', () => {
    const lessons = loadLessons(dir);
    const files = TOPICS.flatMap((t) => {
      try {
        return readdirSync(join(dir, t)).filter((f) => f.endsWith('.md')).map((f) => `${t}/${f}`);
      } catch {
        return [];
      }
    });
    expect(lessons.length).toBeGreaterThan(0);
    expect(lessons.map((l) => l.file).sort()).toEqual(files.sort());
    expect(new Set(lessons.map((l) => l.id)).size).toBe(lessons.length);
    for (const l of lessons) {
      expect(`${l.id}.md`).toBe(basename(l.file));
      expect(l.file.split('/')[0]).toBe(l.topic);
    }
  });

  it('every topic has lessons and a starting point (a lesson needing nothing from its own topic)', () => {
    const lessons = loadLessons(dir);
    const ids = new Set(lessons.map((l) => l.id));
    expect(lessons.some((l) => l.prerequisites.length === 0)).toBe(true);
    for (const topic of TOPICS) {
      const inTopic = lessons.filter((l) => l.topic === topic);
      expect(inTopic.length, topic).toBeGreaterThan(0);
      const inTopicIds = new Set(inTopic.map((l) => l.id));
      expect(inTopic.some((l) => l.prerequisites.every((p) => !inTopicIds.has(p))), topic).toBe(true);
    }
    for (const l of lessons) for (const p of l.prerequisites) expect(ids.has(p), `${l.id} needs ${p}`).toBe(true);
  });
});
