import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The file format (AREAS_FILE): the province, and each ward or commune with its adult population. */
const AreasFileSchema = z.object({
  province: z.string().trim().min(1),
  wards: z
    .array(z.object({ name: z.string().trim().min(1).max(100), adults: z.number().int().positive() }).strict())
    .min(1)
    .refine((w) => new Set(w.map((x) => x.name)).size === w.length, 'ward names must be unique'),
});

/** The province a deployment serves and its wards and communes. */
export interface Areas {
  province: string;
  /** Ward and commune names, in the file's order. */
  wards: string[];
  /** Adults living in each ward: the denominator of the plan's targets (80% in 2025, 100% in 2026). */
  adults: ReadonlyMap<string, number>;
}

export function loadAreas(file: string): Areas {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read the areas file ${file}: ${(err as Error).message}`);
  }
  const parsed = AreasFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Invalid areas file ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return {
    province: parsed.data.province,
    wards: parsed.data.wards.map((w) => w.name),
    adults: new Map(parsed.data.wards.map((w) => [w.name, w.adults])),
  };
}

/** Whether a ward (and, when given, its province) is one this deployment serves. */
export function servesArea(areas: Areas, ward: string, province?: string): boolean {
  return areas.adults.has(ward) && (province === undefined || province === areas.province);
}
