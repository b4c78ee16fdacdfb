import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The province a deployment serves and its wards and communes, from AREAS_FILE. */
export const AreasSchema = z.object({
  province: z.string().trim().min(1),
  wards: z.array(z.string().trim().min(1).max(100)).min(1).refine((w) => new Set(w).size === w.length, 'ward names must be unique'),
});

export type Areas = z.infer<typeof AreasSchema>;

export function loadAreas(file: string): Areas {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read the areas file ${file}: ${(err as Error).message}`);
  }
  const parsed = AreasSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Invalid areas file ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** Whether a ward (and, when given, its province) is one this deployment serves. */
export function servesArea(areas: Areas, ward: string, province?: string): boolean {
  return areas.wards.includes(ward) && (province === undefined || province === areas.province);
}
