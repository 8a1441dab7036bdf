/** The `settings` table: one row per single-valued setting of a contract, written by its setter event. */
import type { Context } from "ponder:registry";
import { settings } from "ponder:schema";

export async function setSetting(
  db: Context["db"],
  event: { block: { timestamp: bigint } },
  contract: string,
  name: string,
  value: bigint | number | string | boolean,
): Promise<void> {
  const row = { value: String(value), updatedAt: event.block.timestamp };
  await db
    .insert(settings)
    .values({ contract, name, ...row })
    .onConflictDoUpdate(row);
}
