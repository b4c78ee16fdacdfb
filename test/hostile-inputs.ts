/**
 * A corpus of hostile inputs for test/fuzz.test.ts: strings, JSON values, raw bodies (malformed, oversized, wrong
 * content types), query strings, path segments, Authorization headers and WebSocket frames. Each has a name, so a
 * failure says which input did it.
 */
import { hasUnstorableText } from '../bot-server/src/security/text.js';

export interface Sample<T> {
  name: string;
  value: T;
}

/** A request body exactly as it goes on the wire. */
export interface RawBody {
  name: string;
  payload: string | Buffer;
  contentType?: string;
  /** Refused on every route whatever the caller: the "nothing half-written" batch is made of these. */
  alwaysRefused: boolean;
}

/** The body limit of the server (bot-server/src/app.ts); bodies are sized around it. */
export const BODY_LIMIT = 16 * 1024;

/** Nested objects `depth` deep, written by hand: no recursion on our side. */
export function deepObject(depth: number, leaf = '1'): string {
  return '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
}

export function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** Percent-encodes a value for a URL; a lone surrogate (which encodeURIComponent refuses) becomes invalid UTF-8. */
export function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return Array.from(value, (ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        return '%ED%A0%80';
      }
    }).join('');
  }
}

export const HOSTILE_STRINGS: Sample<string>[] = [
  { name: 'SQL: drop table', value: "'; DROP TABLE learners; --" },
  { name: 'SQL: tautology', value: '1 OR 1=1' },
  { name: 'SQL: quoted tautology', value: "' OR '1'='1" },
  { name: 'SQL: union', value: "x' UNION SELECT token_hash, learner_id::text FROM learner_sessions --" },
  { name: 'SQL: stacked sleep', value: '1; SELECT pg_sleep(5); --' },
  { name: 'HTML: script', value: '<script>alert(1)</script>' },
  { name: 'HTML: img onerror', value: '<img src=x onerror=alert(1)>' },
  { name: 'HTML: attribute break', value: '"><svg onload=alert(1)>' },
  { name: 'template syntax', value: '${7*7}{{7*7}}<%= 7*7 %>' },
  { name: 'format string', value: '%s%s%s%n%x' },
  { name: 'emoji', value: '👩‍👩‍👧‍👦🇻🇳😀🙏🏽' },
  { name: 'zero-width joiners and BOM', value: 'Cá\u200dch c\u200bài\u200c VNeID\ufeff?' },
  { name: 'combining marks (Zalgo)', value: 'V̷̢̧̛͙̞̈́̾N̸̡̛͎̓͝e̴̡̛̮̓I̶̛͕͊D̵̨̛͙̾' + '\u0301'.repeat(200) },
  { name: 'decomposed Vietnamese (NFD)', value: 'Phường Việt Trì'.normalize('NFD') },
  { name: 'RTL override', value: '\u202eDIeNV tàc hcáC\u202c' },
  { name: 'NUL byte', value: 'a\u0000b' },
  { name: 'control characters', value: '\u0007\u001b[31mred\u001b[0m\u007f' },
  { name: 'CR LF', value: 'a\r\nSet-Cookie: x=1\r\n\r\n' },
  { name: 'lone high surrogate', value: 'x\ud800y' },
  { name: 'lone low surrogate', value: '\udfff' },
  { name: 'non-characters', value: '\uffff\ufffe\u{10ffff}' },
  { name: 'whitespace only', value: ' \t\n\u00a0\u3000' },
  { name: 'empty', value: '' },
  { name: 'path traversal', value: '../../../../etc/passwd' },
  { name: 'number as text', value: '1e309' },
  { name: 'negative number as text', value: '-1' },
  { name: 'prototype key as text', value: '__proto__' },
  { name: 'JSON in a string', value: '{"__proto__":{"polluted":"yes"}}' },
  { name: 'very long (10,000)', value: 'x'.repeat(10_000) },
  { name: 'long Vietnamese (1,001 chars)', value: 'ắ'.repeat(1_001) },
];

export const HOSTILE_VALUES: Sample<unknown>[] = [
  ...HOSTILE_STRINGS,
  { name: 'null', value: null },
  { name: 'true', value: true },
  { name: 'zero', value: 0 },
  { name: 'negative', value: -1 },
  { name: 'fraction', value: 1.5 },
  { name: 'beyond safe integers', value: 2 ** 53 + 1 },
  { name: 'huge number', value: 1e308 },
  { name: 'empty array', value: [] },
  { name: 'array of strings', value: ['a', 'b'] },
  { name: 'array of hostile strings', value: ["'; DROP TABLE learners; --", '<script>alert(1)</script>'] },
  { name: 'nested arrays', value: [[[[[]]]]] },
  { name: 'empty object', value: {} },
  { name: 'object with toString', value: { toString: 'x', valueOf: 1 } },
  { name: 'object with hasOwnProperty', value: { hasOwnProperty: 'x' } },
  { name: 'long array', value: Array.from({ length: 1000 }, (_, i) => i) },
];

const invalidUtf8InString = Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}')]);
const invalidUtf8Bare = Buffer.from([0x7b, 0xff, 0xfe, 0xfd, 0x7d]);
const overLimit = JSON.stringify({ message: 'x'.repeat(17 * 1024) });
const farOverLimit = `{"message":"${'x'.repeat(5 * 1024 * 1024)}"}`;
const justUnderLimit = JSON.stringify({ message: 'x'.repeat(BODY_LIMIT - 64) });

export const RAW_BODIES: RawBody[] = [
  { name: 'truncated JSON', payload: '{"message": "Cách cài', contentType: 'application/json', alwaysRefused: true },
  { name: 'not JSON', payload: "'; DROP TABLE learners; --", contentType: 'application/json', alwaysRefused: true },
  { name: 'empty body declared JSON', payload: '', contentType: 'application/json', alwaysRefused: true },
  { name: 'trailing garbage', payload: '{}}}', contentType: 'application/json', alwaysRefused: true },
  { name: 'single quotes', payload: "{'message':'x'}", contentType: 'application/json', alwaysRefused: true },
  { name: 'NaN literal', payload: '{"stepsSeen": NaN}', contentType: 'application/json', alwaysRefused: true },
  { name: 'body just over 16 KB (17 KB)', payload: overLimit, contentType: 'application/json', alwaysRefused: true },
  { name: 'body far over 16 KB (5 MB)', payload: farOverLimit, contentType: 'application/json', alwaysRefused: true },
  { name: 'objects 10,000 deep', payload: deepObject(10_000), contentType: 'application/json', alwaysRefused: true },
  { name: 'arrays 10,000 deep', payload: deepArray(10_000), contentType: 'application/json', alwaysRefused: true },
  { name: 'invalid UTF-8 outside strings', payload: invalidUtf8Bare, contentType: 'application/json', alwaysRefused: true },
  { name: '__proto__ key', payload: '{"__proto__":{"polluted":"yes"},"message":"x"}', contentType: 'application/json', alwaysRefused: true },
  { name: 'nested __proto__ key', payload: '{"area":{"__proto__":{"polluted":"yes"}}}', contentType: 'application/json', alwaysRefused: true },
  { name: 'constructor.prototype', payload: '{"constructor":{"prototype":{"polluted":"yes"}}}', contentType: 'application/json', alwaysRefused: true },
  { name: 'text/plain', payload: 'Cách cài VNeID?', contentType: 'text/plain', alwaysRefused: true },
  { name: 'form-urlencoded', payload: 'message=x&__proto__[polluted]=yes', contentType: 'application/x-www-form-urlencoded', alwaysRefused: true },
  {
    name: 'multipart',
    payload: '--b\r\nContent-Disposition: form-data; name="message"\r\n\r\nx\r\n--b--\r\n',
    contentType: 'multipart/form-data; boundary=b',
    alwaysRefused: true,
  },
  { name: 'XML', payload: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', contentType: 'application/xml', alwaysRefused: true },
  { name: 'no content type', payload: Buffer.from('{"message":"x"}'), alwaysRefused: true },
  // Readable JSON, so a route may accept them: they only have to be answered without a 5xx.
  { name: 'invalid UTF-8 inside a string', payload: invalidUtf8InString, contentType: 'application/json', alwaysRefused: false },
  { name: 'objects 2,500 deep (under the limit)', payload: deepObject(2_500), contentType: 'application/json', alwaysRefused: false },
  { name: 'arrays 8,000 deep (under the limit)', payload: deepArray(8_000), contentType: 'application/json', alwaysRefused: false },
  { name: 'message 7,000 arrays deep', payload: `{"message":${deepArray(7_000)}}`, contentType: 'application/json', alwaysRefused: false },
  { name: 'body just under 16 KB', payload: justUnderLimit, contentType: 'application/json', alwaysRefused: false },
  { name: 'duplicate keys', payload: '{"message":"x","message":"Cách cài VNeID?","goal":null,"goal":"vneid"}', contentType: 'application/json', alwaysRefused: false },
  { name: 'JSON with a BOM', payload: '\ufeff{"message":"x"}', contentType: 'application/json', alwaysRefused: false },
  { name: 'charset utf-16 declared', payload: '{"message":"x"}', contentType: 'application/json; charset=utf-16', alwaysRefused: false },
  { name: 'upper-case content type', payload: '{"message":"x"}', contentType: 'APPLICATION/JSON', alwaysRefused: false },
  { name: 'escaped NUL and lone surrogate', payload: '{"message":"\\u0000\\ud800"}', contentType: 'application/json', alwaysRefused: false },
];

/** Query-string names the routes read (and a few they do not). */
export const QUERY_KEYS = ['ward', 'province', 'quarter', 'limit', 'before', 'year', 'topic', 'id', 'q'];

/** Whole query strings (after the "?"), already encoded where they should be. */
export const HOSTILE_QUERIES: Sample<string>[] = [
  ...HOSTILE_STRINGS.map((s, i) => ({ name: `${QUERY_KEYS[i % QUERY_KEYS.length]}=${s.name}`, value: `${QUERY_KEYS[i % QUERY_KEYS.length]}=${encodeSegment(s.value)}` })),
  { name: 'limit=-1', value: 'limit=-1' },
  { name: 'limit=1e309', value: 'limit=1e309' },
  { name: 'limit=0', value: 'limit=0' },
  { name: 'limit=201', value: 'limit=201' },
  { name: 'limit=NaN', value: 'limit=NaN' },
  { name: 'before beyond bigint', value: 'before=99999999999999999999' },
  { name: 'before at the pattern limit', value: 'before=9999999999999999' },
  { name: 'repeated key', value: 'a=1&a=2' },
  { name: 'repeated ward', value: 'ward=x&ward=y' },
  { name: 'quarter Q5', value: 'quarter=2025-Q5' },
  { name: 'quarter year 0', value: 'quarter=0000-Q1' },
  { name: 'quarter year 9999', value: 'quarter=9999-Q4' },
  { name: 'year far ahead', value: 'year=2099' },
  { name: 'year far back', value: 'year=1900' },
  { name: 'bracket array', value: 'topic[]=vneid&topic[]=an-toan' },
  { name: '__proto__ bracket', value: '__proto__[polluted]=yes' },
  { name: 'constructor.prototype bracket', value: 'constructor[prototype][polluted]=yes' },
  { name: '__proto__ plain', value: '__proto__=yes' },
  { name: 'invalid percent escape', value: 'ward=%FF' },
  { name: 'truncated percent escape', value: 'ward=%E0%A4%A' },
  { name: 'bare percent', value: 'ward=%' },
  { name: 'encoded NUL', value: 'ward=%00' },
  { name: 'empty key and value', value: '=&&=' },
  { name: 'very long value', value: `q=${'x'.repeat(15_000)}` },
  { name: 'many parameters', value: Array.from({ length: 3000 }, (_, i) => `k${i}=${i}`).join('&') },
];

/** Path parameter values, already encoded (some deliberately badly). */
export const HOSTILE_SEGMENTS: Sample<string>[] = [
  ...HOSTILE_STRINGS.filter((s) => s.value !== '').map((s) => ({ name: s.name, value: encodeSegment(s.value) })),
  { name: 'invalid percent escape', value: '%FF' },
  { name: 'truncated percent escape', value: '%E0%A4%A' },
  { name: 'bare percent', value: '%' },
  { name: 'encoded NUL', value: '%00' },
  { name: 'encoded traversal', value: '..%2F..%2F..%2Fpackage.json' },
  { name: 'double-encoded traversal', value: '%252e%252e%252fpackage.json' },
  { name: 'nil UUID', value: '00000000-0000-0000-0000-000000000000' },
  { name: 'max UUID', value: 'ffffffff-ffff-ffff-ffff-ffffffffffff' },
  { name: 'UUID with a NUL', value: '00000000-0000-0000-0000-000000000000%00' },
  { name: 'upper-case UUID', value: 'FFFFFFFF-FFFF-4FFF-8FFF-FFFFFFFFFFFF' },
  { name: 'referral-code shape', value: 'ABCDEFGHJKMN' },
  { name: 'lesson-id shape, unknown', value: 'khong-co-bai-nay' },
  { name: 'very long (5,000)', value: 'a'.repeat(5_000) },
  { name: 'script beyond the parameter length limit', value: encodeSegment(`<script>alert(1)</script>${'x'.repeat(120)}`) },
];

/** Values for a wildcard (static files): traversal in every spelling. */
export const HOSTILE_FILE_PATHS: Sample<string>[] = [
  { name: 'traversal', value: '../../../../etc/passwd' },
  { name: 'encoded traversal', value: '..%2f..%2f..%2fpackage.json' },
  { name: 'encoded dots', value: '%2e%2e/%2e%2e/package.json' },
  { name: 'backslash traversal', value: '..%5c..%5cpackage.json' },
  { name: 'doubled dots', value: '....//....//package.json' },
  { name: 'NUL before extension', value: 'index.html%00.svg' },
  { name: 'dot file', value: '.env' },
  { name: 'git config', value: '.git/config' },
  { name: 'through a folder', value: 'assets/../../package.json' },
  { name: 'invalid escape', value: '%FF.svg' },
  { name: 'script name', value: '%3Cscript%3Ealert(1)%3C%2Fscript%3E.svg' },
  { name: 'very long', value: `${'a'.repeat(5_000)}.svg` },
];

/** Traversal must never serve these files' contents. */
export const LEAKED_FILE_MARKERS = [/root:x?:0:0/, /"workspaces"\s*:/, /\[core\]/, /DATABASE_URL=/];

/** Authorization headers of a caller who has no valid session. */
export const FORGED_AUTHORIZATIONS: Sample<string>[] = [
  { name: 'unknown token of the right shape', value: `Bearer ${'A'.repeat(43)}` },
  { name: 'SQL in the token', value: "Bearer ' OR 1=1 --" },
  { name: 'script in the token', value: 'Bearer <script>alert(1)</script>' },
  { name: 'huge token', value: `Bearer ${'x'.repeat(20_000)}` },
  { name: 'Vietnamese token', value: 'Bearer Phường' },
  { name: 'Basic scheme', value: 'Basic YWRtaW46YWRtaW4=' },
  { name: 'lower-case scheme', value: `bearer ${'B'.repeat(43)}` },
  { name: 'scheme only', value: 'Bearer' },
  { name: 'two spaces', value: `Bearer  ${'C'.repeat(43)}` },
  { name: 'empty', value: '' },
];

/** Origin headers of pages that are not the mini app's (sent by the forged caller, and on a WebSocket upgrade). */
export const HOSTILE_ORIGINS: Sample<string>[] = [
  { name: 'another site', value: 'https://evil.example' },
  { name: 'look-alike of the Zalo web view', value: 'https://h5.zdn.vn.evil.example' },
  { name: 'null origin (sandboxed frame)', value: 'null' },
  { name: 'javascript: origin', value: 'javascript:alert(1)' },
  { name: 'not a URL', value: '<script>alert(1)</script>' },
];

/** WebSocket frames and what the server must do with them. */
export interface HostileFrame {
  name: string;
  data: string | Buffer;
  binary?: boolean;
  /** The frame type of the answer, or the close code the socket must get. */
  expect: { type: 'error' | 'reply' | 'pong' | 'auth'; code?: string } | { close: number };
}

const frame = (o: unknown) => JSON.stringify(o);

export const HOSTILE_FRAMES: HostileFrame[] = [
  { name: 'invalid JSON', data: '{"type":"chat","message":', expect: { type: 'error', code: 'BAD_FRAME' } },
  { name: 'not JSON at all', data: "'; DROP TABLE learners; --", expect: { type: 'error', code: 'BAD_FRAME' } },
  { name: 'empty text', data: '', expect: { type: 'error', code: 'BAD_FRAME' } },
  { name: 'JSON null', data: 'null', expect: { type: 'error', code: 'BAD_FRAME' } },
  { name: 'JSON number', data: '5', expect: { type: 'error', code: 'BAD_FRAME' } },
  { name: 'JSON string', data: '"chat"', expect: { type: 'error', code: 'BAD_FRAME' } },
  { name: 'JSON array', data: '[{"type":"chat","message":"x"}]', expect: { type: 'error', code: 'BAD_FRAME' } },
  { name: 'binary frame', data: Buffer.from(frame({ type: 'chat', message: 'Cách cài VNeID?' })), binary: true, expect: { type: 'error', code: 'BAD_FRAME' } },
  {
    name: 'invalid UTF-8 in a text frame',
    data: Buffer.concat([Buffer.from('{"type":"chat","message":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}')]),
    binary: false,
    expect: { close: 1007 },
  },
  { name: 'frame over 16 KB', data: frame({ type: 'chat', message: 'x'.repeat(17 * 1024) }), expect: { close: 1009 } },
  { name: 'arrays 5,000 deep', data: deepArray(5_000), expect: { type: 'error', code: 'BAD_FRAME' } },
  { name: 'chat with a message 5,000 arrays deep', data: `{"type":"chat","message":${deepArray(5_000)}}`, expect: { type: 'error', code: 'BAD_MESSAGE' } },
  { name: 'objects 10,000 deep (over 16 KB)', data: deepObject(10_000), expect: { close: 1009 } },
  { name: 'unknown type', data: frame({ type: 'admin', id: 'u' }), expect: { type: 'error', code: 'BAD_FRAME' } },
  { name: 'type is an object', data: frame({ type: { toString: 'chat' }, message: 'x' }), expect: { type: 'error', code: 'BAD_FRAME' } },
  { name: '__proto__ type', data: '{"__proto__":{"type":"chat"},"message":"x"}', expect: { type: 'error', code: 'BAD_FRAME' } },
  { name: 'chat without a message', data: frame({ type: 'chat' }), expect: { type: 'error', code: 'BAD_MESSAGE' } },
  { name: 'chat with a number', data: frame({ type: 'chat', message: 5 }), expect: { type: 'error', code: 'BAD_MESSAGE' } },
  { name: 'chat with null', data: frame({ type: 'chat', message: null }), expect: { type: 'error', code: 'BAD_MESSAGE' } },
  { name: 'chat with an array', data: frame({ type: 'chat', message: ['Cách cài VNeID?'] }), expect: { type: 'error', code: 'BAD_MESSAGE' } },
  { name: 'chat with an object', data: frame({ type: 'chat', message: { text: 'x' } }), expect: { type: 'error', code: 'BAD_MESSAGE' } },
  { name: 'chat with an extra key', data: frame({ type: 'chat', message: 'x', admin: true }), expect: { type: 'error', code: 'BAD_MESSAGE' } },
  { name: 'chat with a __proto__ key', data: '{"type":"chat","message":"x","__proto__":{"polluted":"yes"}}', expect: { type: 'error', code: 'BAD_MESSAGE' } },
  { name: 'chat of 1,001 characters', data: frame({ type: 'chat', message: 'ắ'.repeat(1_001) }), expect: { type: 'error', code: 'BAD_MESSAGE' } },
  { name: 'chat with an object id', data: frame({ type: 'chat', id: { $gt: '' }, message: 'Cách cài VNeID?' }), expect: { type: 'reply' } },
  { name: 'chat with a 10,000-character id', data: frame({ type: 'chat', id: 'i'.repeat(10_000), message: 'Cách cài VNeID?' }), expect: { type: 'reply' } },
  ...HOSTILE_STRINGS.filter((s) => s.value.trim() !== '' && s.value.length <= 1000).map(
    (s): HostileFrame => ({
      name: `chat: ${s.name}`,
      data: frame({ type: 'chat', message: s.value }),
      // Text PostgreSQL cannot store (NUL, an unpaired surrogate) is refused at the door; everything else is answered.
      expect: hasUnstorableText(s.value) ? { type: 'error', code: 'BAD_TEXT' } : { type: 'reply' },
    }),
  ),
  { name: 'ping with an object id', data: frame({ type: 'ping', id: { a: 1 } }), expect: { type: 'pong' } },
  { name: 'auth without a token', data: frame({ type: 'auth' }), expect: { type: 'auth', code: 'UNAUTHENTICATED' } },
  { name: 'auth with a huge token', data: frame({ type: 'auth', token: 'x'.repeat(15_000) }), expect: { type: 'auth', code: 'UNAUTHENTICATED' } },
  { name: 'auth with a forged token', data: frame({ type: 'auth', token: 'A'.repeat(43) }), expect: { type: 'auth', code: 'UNAUTHENTICATED' } },
  { name: 'auth with SQL', data: frame({ type: 'auth', token: "' OR 1=1 --" }), expect: { type: 'auth', code: 'UNAUTHENTICATED' } },
  { name: 'auth with an object token', data: frame({ type: 'auth', token: { $ne: null } }), expect: { type: 'auth', code: 'UNAUTHENTICATED' } },
  { name: 'auth with an array token', data: frame({ type: 'auth', token: ['A'.repeat(43)] }), expect: { type: 'auth', code: 'UNAUTHENTICATED' } },
];
