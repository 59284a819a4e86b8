import { z } from 'zod';
import { AppError } from '../../errors/app-error';

/** A product's stock: units on hand, and the units of them reserved for orders not yet shipped. */
export interface StockLevels {
  readonly onHand: number;
  readonly reserved: number;
}

/** Units that can still be promised to an order. */
export function available(levels: StockLevels): number {
  return levels.onHand - levels.reserved;
}

/** A product's stock as the API answers it. */
export const LevelsView = z
  .object({
    productId: z.uuid(),
    onHand: z.number().int().meta({ description: 'Units in the stock.' }),
    reserved: z.number().int().meta({ description: 'Units of them held for orders not yet shipped.' }),
    available: z
      .number()
      .int()
      .meta({ description: 'Units that can still be ordered: on hand less reserved.' }),
  })
  .meta({ id: 'StockLevels' });
export type LevelsView = z.infer<typeof LevelsView>;

export function levelsView(productId: string, levels: StockLevels): LevelsView {
  return { productId, onHand: levels.onHand, reserved: levels.reserved, available: available(levels) };
}

/** Why an admin changes the stock on hand; the sign of the change follows from it, but for a correction. */
export const AdjustmentReason = z.enum(['restock', 'shrinkage', 'correction', 'return']);
export type AdjustmentReason = z.infer<typeof AdjustmentReason>;

/** The largest stock a product may hold: far above any shop's, far below where integer columns overflow. */
export const MAX_UNITS = 1_000_000_000;

/** `POST /v1/products/{id}/inventory/adjustments`. */
export const AdjustmentInput = z
  .object({
    delta: z
      .number()
      .int()
      .min(-MAX_UNITS)
      .max(MAX_UNITS)
      .refine((delta) => delta !== 0, 'must not be 0'),
    reason: AdjustmentReason,
    note: z
      .string()
      .trim()
      .max(500)
      .regex(/^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u, 'must not contain control characters')
      .optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    const adds = input.reason === 'restock' || input.reason === 'return';
    if ((adds && input.delta < 0) || (input.reason === 'shrinkage' && input.delta > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['delta'],
        message: `must be ${adds ? 'positive' : 'negative'} for a ${input.reason}`,
      });
    }
  });
export type AdjustmentInput = z.infer<typeof AdjustmentInput>;

/**
 * The levels after an admin's adjustment of the stock on hand. Refused (409, nothing changes) when it would take
 * `onHand` below what is reserved, or below 0, or above {@link MAX_UNITS}.
 */
export function adjust(levels: StockLevels, delta: number): StockLevels {
  const onHand = levels.onHand + delta;
  if (onHand < 0 || onHand < levels.reserved) {
    throw new AppError(
      'conflict',
      'INVENTORY.BELOW_RESERVED',
      `Only ${String(available(levels))} units are not reserved; the adjustment would take away ${String(-delta)}.`,
      [{ field: 'delta', message: `must be at least ${String(-available(levels))}` }],
    );
  }
  if (onHand > MAX_UNITS) {
    throw new AppError(
      'conflict',
      'INVENTORY.TOO_MANY',
      `A product holds at most ${String(MAX_UNITS)} units.`,
    );
  }
  return { onHand, reserved: levels.reserved };
}

/** One line of an order to reserve stock for. */
export interface StockLine {
  readonly productId: string;
  readonly quantity: number;
}

/** A line that could not be reserved: what was asked, and what was available. */
export interface ShortLine extends StockLine {
  readonly available: number;
}

/** Lines of one product merged, so an order that names a product twice reserves the sum, checked as one. */
export function mergeLines(lines: readonly StockLine[]): readonly StockLine[] {
  const merged = new Map<string, number>();
  for (const line of lines) merged.set(line.productId, (merged.get(line.productId) ?? 0) + line.quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * All or nothing: the levels after reserving every line, or the lines that are short (a product the store does not
 * have, or sells no more, counts as 0 available). `levels` holds the current levels of the lines' products that
 * can be sold.
 */
export function reserveAll(
  lines: readonly StockLine[],
  levels: ReadonlyMap<string, StockLevels>,
): { readonly reserved: ReadonlyMap<string, StockLevels> } | { readonly short: readonly ShortLine[] } {
  const merged = mergeLines(lines);
  const short = merged.flatMap((line) => {
    const current = levels.get(line.productId);
    const free = current ? available(current) : 0;
    return free < line.quantity ? [{ ...line, available: Math.max(free, 0) }] : [];
  });
  if (short.length > 0) return { short };
  const reserved = new Map<string, StockLevels>();
  for (const line of merged) {
    const current = levels.get(line.productId) ?? { onHand: 0, reserved: 0 };
    reserved.set(line.productId, { onHand: current.onHand, reserved: current.reserved + line.quantity });
  }
  return { reserved };
}

/** The levels once a reservation is released (an order cancelled): the units are free again. */
export function release(levels: StockLevels, quantity: number): StockLevels {
  return { onHand: levels.onHand, reserved: Math.max(levels.reserved - quantity, 0) };
}

/** The levels once a reservation is committed (an order shipped): the units leave the stock. */
export function commit(levels: StockLevels, quantity: number): StockLevels {
  return { onHand: Math.max(levels.onHand - quantity, 0), reserved: Math.max(levels.reserved - quantity, 0) };
}

/**
 * Whether a change takes a product's available stock to its reorder level or below, from above it: the moment to
 * emit `com.ecom.inventory.low`, once per fall rather than at every sale below the level.
 */
export function fellToReorderLevel(before: StockLevels, after: StockLevels, reorderLevel: number): boolean {
  return available(before) > reorderLevel && available(after) <= reorderLevel;
}
