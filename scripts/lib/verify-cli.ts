/**
 * `station verify`: is this address station support right now, and was this message signed by
 * station support? Asks the service (GET /v1/verify/:address, POST /v1/verify/message), which
 * reads the roles on-chain. Needs no key.
 */
import { isAddress } from "viem";

import { serviceRequest, type StationConfig } from "./station-client.js";

export const VERIFY_OPTIONS = {
  signature: { type: "string" },
  address: { type: "string" },
} as const;

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
      throw new VerifyUsageError(`--message and --signature go together\n\n${VERIFY_USAGE}`);
    }
    if (values.address !== undefined && !isAddress(values.address, { strict: false })) {
      throw new VerifyUsageError(`--address is not an address: ${values.address}`);
    }
    verdict = await serviceRequest<Verdict>(await io.config(), "POST", "/v1/verify/message", {
      body: {
        message: values.message,
        signature: values.signature,
        ...(values.address ? { address: values.address } : {}),
      },
    });
  } else {
    const [address, ...extra] = positionals;
    if (address === undefined || extra.length > 0 || !isAddress(address, { strict: false })) {
      throw new VerifyUsageError(`give one address to check\n\n${VERIFY_USAGE}`);
    }
    verdict = await serviceRequest<Verdict>(await io.config(), "GET", `/v1/verify/${address}`);
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
