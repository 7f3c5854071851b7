import { z } from 'zod';

// The value shapes options share, so each is spelled once.

export const port = z.coerce.number().int().min(0).max(65535);
export const positiveMs = z.coerce.number().int().positive();
/** A count: a positive whole number. */
export const limit = z.coerce.number().int().positive();
export const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
/** YAML booleans, or "true"/"false" from an environment variable (z.coerce would read "false" as true). */
export const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);
