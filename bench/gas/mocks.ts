import type { GasMeasurement } from "../lib/gas.js";
import { gasOf } from "../lib/gas.js";

/** Baseline: an ERC-20 transfer of the mock C token, to read the other figures against. */
const measure: GasMeasurement = async ({ ethers }) => {
  const [, alice, bob] = await ethers.getSigners();
  const c = await ethers.deployContract("MockCToken");
  await (await c.mint(alice!.address, 10n ** 20n)).wait();
  const gas = await gasOf(await c.connect(alice!).transfer(bob!.address, 10n ** 18n));
  return [{ key: "MockCToken.transfer fresh recipient", gas }];
};
export default measure;
