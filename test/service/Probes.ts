import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { expect } from "chai";

import { chainProbe, indexerProbe, runProbes } from "../../service/src/health/probes.js";

/** A local HTTP server answering every request with `reply`. */
async function serveJson(
  reply: (body: string) => { status: number; json: unknown },
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const { status, json } = reply(body);
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<string> {
  const { url, server } = await serveJson(() => ({ status: 200, json: {} }));
  await new Promise((resolve) => server.close(resolve));
  return url;
}

describe("readiness probes against real endpoints", function () {
  const servers: Server[] = [];
  after(function () {
    for (const s of servers) s.close();
  });

  it("reads the indexed block of the service's chain from the indexer's /status", async function () {
    const { url, server } = await serveJson(() => ({
      status: 200,
      json: { anvil: { id: 1, block: { number: 5 } }, local: { id: 31337, block: { number: 42, timestamp: 1 } } },
    }));
    servers.push(server);
    const checks = await runProbes(
      { ok: indexerProbe(url, 31337, 1000), otherChain: indexerProbe(url, 10, 1000) },
      2000,
    );
    expect(checks.ok).to.include({ ok: true, block: 42 });
    expect(checks.otherChain).to.include({ ok: false, error: "the indexer does not index chain 10" });
  });

  it("fails an indexer or a chain that refuses connections, answers 5xx, or serves another chain", async function () {
    const dead = await closedPort();
    const failing = await serveJson(() => ({ status: 500, json: {} }));
    const wrongChain = await serveJson(() => ({ status: 200, json: { jsonrpc: "2.0", id: 1, result: "0x1" } }));
    const rightChain = await serveJson((body) => {
      expect(JSON.parse(body)).to.include({ method: "eth_chainId" });
      return { status: 200, json: { jsonrpc: "2.0", id: 1, result: "0x7a69" } };
    });
    servers.push(failing.server, wrongChain.server, rightChain.server);
    const checks = await runProbes(
      {
        deadIndexer: indexerProbe(dead, 31337, 1000),
        failingIndexer: indexerProbe(failing.url, 31337, 1000),
        deadChain: chainProbe(dead, 31337, 1000),
        wrongChain: chainProbe(wrongChain.url, 31337, 1000),
        chain: chainProbe(rightChain.url, 31337, 1000),
      },
      2000,
    );
    expect(checks.deadIndexer!.ok).to.equal(false);
    expect(checks.failingIndexer).to.include({ ok: false, error: "GET /status answered 500" });
    expect(checks.deadChain!.ok).to.equal(false);
    expect(checks.wrongChain).to.include({ ok: false, error: "RPC serves chain 1, not 31337" });
    expect(checks.chain).to.include({ ok: true, chainId: 31337 });
  });
});
