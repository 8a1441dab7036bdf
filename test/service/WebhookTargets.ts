import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import tls from "node:tls";

import { expect } from "chai";

import { pinnedLookup, postToTarget } from "../../service/src/webhooks/post.js";
import {
  addressProblem,
  checkWebhookTarget,
  specialAddressKind,
  WebhookTargetError,
  type CheckedTarget,
} from "../../service/src/webhooks/url.js";
import { FakeResolver, PUBLIC_IP } from "./deliveryHarness.js";

describe("webhook receiver addresses", function () {
  const kinds: Array<[string, string | undefined]> = [
    ["93.184.215.14", undefined],
    ["8.8.8.8", undefined],
    ["2606:4700:4700::1111", undefined],
    ["0.0.0.0", "unspecified"],
    ["10.0.0.1", "private"],
    ["172.15.255.255", undefined],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.0", undefined],
    ["192.168.7.7", "private"],
    ["100.63.255.255", undefined],
    ["100.64.0.1", "carrier-grade NAT"],
    ["100.127.255.255", "carrier-grade NAT"],
    ["100.128.0.0", undefined],
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["169.254.169.254", "link-local"],
    ["224.0.0.251", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "reserved"],
    ["198.18.0.1", "benchmarking"],
    ["203.0.113.9", "documentation"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["fd12:3456::1", "unique local"],
    ["fc00::1", "unique local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "documentation"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:a01:203", "private"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:93.184.215.14", undefined],
    ["64:ff9b::a9fe:a9fe", "link-local"],
    ["2002:c0a8:101::1", "private"],
    ["2002:5db8:d70e::1", undefined],
  ];
  for (const [address, kind] of kinds) {
    it(`classifies ${address} as ${kind ?? "public"}`, function () {
      expect(specialAddressKind(address)).to.equal(kind);
    });
  }

  it("accepts loopback, and only loopback, when local receivers are allowed", function () {
    expect(addressProblem("127.0.0.1", true)).to.equal(undefined);
    expect(addressProblem("::1", true)).to.equal(undefined);
    expect(addressProblem("127.0.0.1", false)).to.equal("a loopback address");
    expect(addressProblem("10.0.0.1", true)).to.equal("a private address");
    expect(addressProblem("169.254.169.254", true)).to.equal("a link-local address");
    expect(addressProblem("fd00::1", true)).to.equal("a unique local address");
    expect(addressProblem("::", true)).to.equal("an unspecified address");
    expect(addressProblem("192.0.0.8", true)).to.equal("an IETF protocol assignment address");
  });

  it("refuses a string that is not an IP address", function () {
    expect(() => specialAddressKind("example.org")).to.throw(/not an IP address/);
  });
});

describe("webhook receiver checks", function () {
  const check = (url: string, dns: FakeResolver, allowLocal = false) =>
    checkWebhookTarget(url, { allowLocal, resolve: dns.resolve });
  const refusal = async (promise: Promise<unknown>): Promise<WebhookTargetError> => {
    try {
      await promise;
    } catch (err) {
      expect(err).to.be.instanceOf(WebhookTargetError);
      return err as WebhookTargetError;
    }
    throw new Error("expected the receiver to be refused");
  };

  it("accepts a public name and returns every address it resolved to", async function () {
    const dns = new FakeResolver({ "hooks.example": [PUBLIC_IP, "2606:4700:4700::1111"] });
    const target = await check("https://hooks.example/in?x=1", dns);
    expect(target.host).to.equal("hooks.example");
    expect(target.addresses).to.deep.equal([
      { address: PUBLIC_IP, family: 4 },
      { address: "2606:4700:4700::1111", family: 6 },
    ]);
    expect(dns.lookups).to.deep.equal(["hooks.example"]);
  });

  const refused: Array<[string, string[], RegExp]> = [
    ["10.x", ["10.20.30.40"], /^host internal\.example resolves to 10\.20\.30\.40, a private address$/],
    ["::1", ["::1"], /^host internal\.example resolves to ::1, a loopback address$/],
    ["169.254.x", ["169.254.169.254"], /^host internal\.example resolves to 169\.254\.169\.254, a link-local address$/],
    [
      "an IPv4-mapped private address",
      ["::ffff:192.168.0.10"],
      /resolves to ::ffff:192\.168\.0\.10, a private address/,
    ],
    [
      "one public and one private address",
      [PUBLIC_IP, "172.20.0.5"],
      /resolves to 172\.20\.0\.5 \(one of 2 addresses\), a private address/,
    ],
  ];
  for (const [what, answer, message] of refused) {
    it(`refuses a name resolving to ${what}, saying why`, async function () {
      const dns = new FakeResolver({ "internal.example": answer });
      const err = await refusal(check("https://internal.example/hook", dns));
      expect(err.kind).to.equal("address");
      expect(err.reason).to.match(message);
    });
  }

  it("refuses IP literals of non-public addresses without asking DNS", async function () {
    const dns = new FakeResolver();
    expect((await refusal(check("https://10.1.2.3/h", dns))).reason).to.equal("10.1.2.3 is a private address");
    expect((await refusal(check("https://[fe80::1]/h", dns))).reason).to.equal("fe80::1 is a link-local address");
    expect((await refusal(check("https://[::ffff:127.0.0.1]/h", dns))).reason).to.equal(
      "::ffff:7f00:1 is a loopback address",
    );
    expect(dns.lookups).to.deep.equal([]);
  });

  it("refuses a name that does not resolve, and one whose lookup failed", async function () {
    const dns = new FakeResolver();
    const missing = await refusal(check("https://nowhere.example/h", dns));
    expect(missing.kind).to.equal("dns");
    expect(missing.reason).to.equal("host nowhere.example does not resolve (ENOTFOUND)");
    const flaky: FakeResolver["resolve"] = async () => {
      throw Object.assign(new Error("getaddrinfo EAI_AGAIN flaky.example"), { code: "EAI_AGAIN" });
    };
    const failed = await refusal(checkWebhookTarget("https://flaky.example/h", { allowLocal: false, resolve: flaky }));
    expect(failed.reason).to.equal("host flaky.example could not be resolved (EAI_AGAIN)");
    const empty = new FakeResolver({ "empty.example": [] });
    expect((await refusal(check("https://empty.example/h", empty))).reason).to.equal(
      "host empty.example resolves to no address",
    );
  });

  it("accepts localhost only when local receivers are allowed, and only if it is loopback", async function () {
    const dns = new FakeResolver({ localhost: ["127.0.0.1", "::1"] });
    expect((await check("http://localhost:9000/h", dns, true)).addresses).to.have.length(2);
    expect((await refusal(check("http://localhost:9000/h", dns, false))).reason).to.match(/must use https/);
    expect((await refusal(check("https://localhost/h", dns, false))).reason).to.equal(
      "host localhost resolves to 127.0.0.1 (one of 2 addresses), a loopback address",
    );
    const odd = new FakeResolver({ localhost: ["10.9.9.9"] });
    expect((await refusal(check("http://localhost:9000/h", odd, true))).reason).to.match(/10\.9\.9\.9, a private/);
  });

  it("checks the text before resolving anything", async function () {
    const dns = new FakeResolver({ "hooks.example": [PUBLIC_IP] });
    expect((await refusal(check("http://hooks.example/h", dns))).kind).to.equal("url");
    expect((await refusal(check("https://u:p@hooks.example/h", dns))).reason).to.equal("must not contain credentials");
    expect(dns.lookups).to.deep.equal([]);
  });
});

describe("webhook connections pinned to the checked addresses", function () {
  it("connects to the checked address while the Host header names the URL's host", async function () {
    const hosts: string[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      hosts.push(req.headers.host ?? "");
      res.writeHead(202).end("accepted");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // `.invalid` never resolves (RFC 6761): the request can only arrive through the pinned address.
      const target: CheckedTarget = {
        url: new URL(`http://receiver.invalid:${port}/hook?a=1`),
        host: "receiver.invalid",
        addresses: [{ address: "127.0.0.1", family: 4 }],
      };
      const res = await postToTarget(target, { "content-type": "application/json" }, "{}", { timeoutMs: 5_000 });
      expect(res).to.deep.equal({ status: 202, snippet: "accepted" });
      expect(hosts).to.deep.equal([`receiver.invalid:${port}`]);
    } finally {
      server.close();
    }
  });

  it("sends the URL's host name as TLS SNI when connecting to the pinned address", async function () {
    const names: string[] = [];
    const server = tls.createServer({
      SNICallback: (name, callback) => {
        names.push(name);
        callback(new Error("no certificate here"), undefined);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const target: CheckedTarget = {
        url: new URL(`https://receiver.invalid:${port}/hook`),
        host: "receiver.invalid",
        addresses: [{ address: "127.0.0.1", family: 4 }],
      };
      let failed: unknown;
      await postToTarget(target, {}, "{}", { timeoutMs: 5_000 }).catch((err: unknown) => (failed = err));
      expect(failed, "the handshake cannot succeed without a certificate").to.be.instanceOf(Error);
      expect(names).to.deep.equal(["receiver.invalid"]);
    } finally {
      server.close();
    }
  });

  it("answers lookups with the checked addresses only, by family, and nothing for another name", function () {
    const lookup = pinnedLookup("hooks.example", [
      { address: PUBLIC_IP, family: 4 },
      { address: "2606:4700:4700::1111", family: 6 },
    ]);
    const answers: unknown[] = [];
    const record = (err: Error | null, address: unknown, family?: number) =>
      answers.push(err === null ? [address, family] : (err as Error & { code?: string }).code);
    lookup("hooks.example", { all: true }, record);
    lookup("hooks.example", { family: 6 }, record);
    lookup("hooks.example", {}, record);
    lookup("other.example", {}, record);
    expect(answers).to.deep.equal([
      [
        [
          { address: PUBLIC_IP, family: 4 },
          { address: "2606:4700:4700::1111", family: 6 },
        ],
        undefined,
      ],
      ["2606:4700:4700::1111", 6],
      [PUBLIC_IP, 4],
      "ENOTFOUND",
    ]);
  });
});
