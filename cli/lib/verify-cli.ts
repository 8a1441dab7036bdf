/**
 * `station verify`: is this address station support right now, and was this message signed by
 * station support? Asks the service (GET /v1/verify/:address, POST /v1/verify/message), which
 * reads the roles on-chain. Needs no key.
 */
import { isAddress } from "viem";

import { type StationConfig, reach, refused } from "./station-client.js";

export const VERIFY_USAGE = `Anyone (is this really station support?)
  station verify <address>
  station verify --message <text> --signature <0x…> [--address <claimed signer>]`;

type Verdict = {
  address: string;
  roles: string[];
  isStationStaff: boolean;
  signatureValid?: boolean;
  advice: string;
};

export class VerifyUsageError extends Error {}

export async function verifyCommand(
  io: { out: (line: string) => void; config: () => Promise<StationConfig> },
  positionals: string[],
  values: { message?: string | undefined; signature?: string | undefined; address?: string | undefined },
): Promise<boolean> {
  let verdict: Verdict;
  if (values.message !== undefined || values.signature !== undefined) {
    if (values.message === undefined || values.signature === undefined || positionals.length > 0) {
      throw new VerifyUsageError("--message and --signature go together");
    }
    if (values.address !== undefined && !isAddress(values.address, { strict: false })) {
      throw new VerifyUsageError(`--address is not an address: ${values.address}`);
    }
    const config = await io.config();
    const { message, signature, address } = values;
    const res = await reach(config, (api) =>
      api.v1.verify.message.$post({ json: { message, signature, ...(address ? { address } : {}) } }),
    );
    if (res.status !== 200) throw await refused(res, "POST /v1/verify/message");
    verdict = await res.json();
  } else {
    const [address, ...extra] = positionals;
    if (address === undefined || extra.length > 0 || !isAddress(address, { strict: false })) {
      throw new VerifyUsageError("give one address to check");
    }
    const config = await io.config();
    const res = await reach(config, (api) => api.v1.verify[":address"].$get({ param: { address } }));
    if (res.status !== 200) throw await refused(res, `GET /v1/verify/${address}`);
    verdict = await res.json();
  }
  const genuine = verdict.isStationStaff && verdict.signatureValid !== false;
  if (verdict.signatureValid === false) io.out(`✗ the signature is NOT by ${verdict.address}`);
  else if (values.message !== undefined) io.out(`signed by ${verdict.address}`);
  io.out(
    verdict.isStationStaff
      ? `${genuine ? "✓" : "✗"} ${verdict.address} is station staff now (${verdict.roles.join(", ")})`
      : `✗ ${verdict.address} is NOT station support`,
  );
  io.out(verdict.advice);
  return genuine;
}
