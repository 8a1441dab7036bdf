/**
 * The page's error sentences (web/src/errorText.ts) and `explain` (web/src/wallet.ts): every
 * language keeps the values its English sentence names, and an error is told in the language the
 * reader has when it is shown, not the one they had when it was thrown.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";

import { ContractFunctionRevertedError, encodeErrorResult, zeroAddress } from "viem";

import { STATION_ERRORS_ABI } from "../../common/reverts.js";
import type { Language } from "../../web/src/api.js";
import { type ErrorTextKey, PageError, errorText } from "../../web/src/errorText.js";
import { explain } from "../../web/src/wallet.js";

const LANGUAGES: Language[] = ["en", "id", "es", "zh"];
/** The `{name}` placeholders of a text, sorted, each once. */
const placeholders = (text: string) => [...new Set(text.match(/\{\w+\}/g) ?? [])].sort();

/** A contract call that reverted with `errorName(args)`, as viem reports it. */
function reverted(errorName: string, args: readonly unknown[]) {
  const data = encodeErrorResult({ abi: STATION_ERRORS_ABI, errorName, args } as never);
  return new ContractFunctionRevertedError({ abi: STATION_ERRORS_ABI, data, functionName: "call" });
}

describe("the page's error sentences", function () {
  it("name the same values in every language, and leave none unfilled", function () {
    // Every key of the table, read off its source.
    const source = readFileSync(new URL("../../web/src/errorText.ts", import.meta.url), "utf8");
    const all = [...source.matchAll(/^ {2}(\w+): \{$/gm)].map((m) => m[1] as ErrorTextKey);
    expect(all.length).to.be.greaterThan(30);
    expect(all).to.include.members(["noWallet", "wrongChainAdd", "insufficientBalance", "relayUnavailable"]);
    for (const key of all) {
      const english = placeholders(errorText(key, "en"));
      for (const lang of LANGUAGES) {
        expect(placeholders(errorText(key, lang)), `${key} in ${lang}`).to.deep.equal(english);
        const values = Object.fromEntries(english.map((p) => [p.slice(1, -1), "X"]));
        expect(errorText(key, lang, values), `${key} in ${lang}`).not.to.match(/\{\w+\}/);
      }
    }
  });

  it("are told in the language the reader has when the error is shown", function () {
    const error = new PageError("wrongChain", { current: 1, wanted: 31337 });
    // Its message (for logs) is English; explain speaks the reader's language.
    expect(error.message).to.equal(
      "Wrong network: your wallet is on chain 1, this station runs on chain 31337. Switch networks in your wallet and retry.",
    );
    expect(explain(error, "en")).to.equal(error.message);
    expect(explain(error, "id")).to.equal(
      "Jaringan salah: dompet Anda di chain 1, stasiun ini berjalan di chain 31337. Ganti jaringan di dompet Anda lalu coba lagi.",
    );
    expect(explain(new PageError("badAmount"), "es")).to.equal(
      "Importe: una cantidad de C con 6 decimales como máximo.",
    );
    expect(explain({ code: 4001, message: "User rejected" }, "zh")).to.equal("您在钱包中拒绝了该请求。");
  });

  it("put a contract's refusal in words, with its amounts, in each language", function () {
    const C = 10n ** 18n;
    const error = reverted("ERC20InsufficientBalance", [zeroAddress, 5n * C, 12n * C]);
    expect(explain(error, "en")).to.equal("Insufficient balance: you have 5 C and this needs 12 C.");
    expect(explain(error, "id")).to.equal("Saldo tidak cukup: Anda memiliki 5 C, sedangkan ini membutuhkan 12 C.");
    const unknown = reverted("CompensationPoolZeroAddress", []);
    expect(explain(unknown, "es")).to.equal("El contrato lo rechazó: CompensationPoolZeroAddress().");
  });
});
