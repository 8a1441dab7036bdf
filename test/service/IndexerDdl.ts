/**
 * The indexer's tables as the service's tests and benches create them (service/src/indexer/ddl.ts)
 * must accept the rows Ponder's own tables accept: a column with a default in the schema keeps it,
 * so a row written without it (as the benches' bulk seeds do) gets the default, not an error.
 */
import { expect } from "chai";
import { getTableConfig } from "drizzle-orm/pg-core";

import * as schema from "../../indexer/ponder.schema.js";
import { indexerDdl } from "../../service/src/indexer/ddl.js";

describe("the indexer's tables for tests and benches", function () {
  it("carries every column default of the Ponder schema", function () {
    const ddl = indexerDdl().join("\n");
    const claims = getTableConfig(schema.claims);
    const defaulted = claims.columns.filter((c) => c.hasDefault).map((c) => c.name);
    expect(defaulted).to.include.members(["no_response_credit", "resolution_credit"]);
    for (const name of defaulted) expect(ddl).to.match(new RegExp(`"${name}" [^,\\n]* NOT NULL DEFAULT 0`));
  });

  it("declares the indexes the service's reads need at a million claims", function () {
    // The claim cache watches transitions and breach credits by block every 250 ms, and an
    // account's page reads its claims in id order: without these, each is a scan of the table.
    const ddl = indexerDdl().join("\n");
    expect(ddl).to.match(/INDEX "[^"]+" ON "claim_transitions" \("block_number"\)/);
    expect(ddl).to.match(/INDEX "[^"]+" ON "breach_credits" \("block_number"\)/);
    expect(ddl).to.match(/INDEX "[^"]+" ON "claims" \("claimant", "id"\)/);
  });
});
