import { expect } from "chai";
import fc from "fast-check";

import { lowerBound, SortedNumbers } from "../../service/src/stats/sortedNumbers.js";

describe("SortedNumbers", function () {
  it("answers ranks and counts as one sorted array would, through bulk loads, inserts and removals", function () {
    // Few distinct values (many equal ones) and enough of them to split chunks (512 a chunk).
    const value = fc.oneof(fc.integer({ min: -5, max: 30 }), fc.constant(Infinity));
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 3000, size: "max" }),
        fc.array(fc.record({ remove: fc.boolean(), x: value, pick: fc.nat() }), { maxLength: 3000, size: "max" }),
        fc.array(value, { minLength: 1, maxLength: 5 }),
        (initial, ops, probes) => {
          const set = SortedNumbers.staging();
          for (const x of initial) set.append(x);
          set.seal();
          const model = [...initial].sort((a, b) => a - b);
          for (const op of ops) {
            if (op.remove && model.length > 0) {
              // Take out a value that is there.
              const x = model[op.pick % model.length]!;
              set.remove(x);
              model.splice(lowerBound(model, x), 1);
            } else {
              set.insert(op.x);
              model.splice(lowerBound(model, op.x), 0, op.x);
            }
          }
          expect(set.length).to.equal(model.length);
          expect(set.toArray()).to.deep.equal(model);
          for (const k of [
            0,
            Math.floor(model.length / 2),
            Math.floor((9 * model.length + 9) / 10) - 1,
            model.length,
          ]) {
            expect(set.at(k)).to.equal(model[k]);
          }
          for (const x of [...probes, -Infinity]) expect(set.countBelow(x)).to.equal(lowerBound(model, x));
        },
      ),
      { seed: 1616, numRuns: 60 },
    );
  });

  it("splits and drops chunks as values come and go one by one", function () {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed % n;
    };
    const set = new SortedNumbers();
    const model: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const x = rnd(700);
      set.insert(x);
      model.splice(lowerBound(model, x), 0, x);
    }
    expect(set.toArray()).to.deep.equal(model);
    expect(set.at(4999)).to.equal(model[4999]);
    expect(set.countBelow(350)).to.equal(lowerBound(model, 350));
    while (model.length > 0) {
      const x = model[rnd(model.length)]!;
      set.remove(x);
      model.splice(lowerBound(model, x), 1);
      if (model.length % 997 === 0) {
        expect(set.toArray()).to.deep.equal(model);
        expect(set.countBelow(350)).to.equal(lowerBound(model, 350));
      }
    }
    expect(set.length).to.equal(0);
    expect(set.at(0)).to.equal(undefined);
  });

  it("refuses to take out a value it does not hold, and to answer before a bulk load is sealed", function () {
    const set = new SortedNumbers();
    set.insert(3);
    expect(() => set.remove(4)).to.throw("4 is not in the array it should be in");
    const staging = SortedNumbers.staging();
    staging.append(1);
    expect(() => staging.countBelow(2)).to.throw("queried before seal()");
    staging.seal();
    expect(staging.countBelow(2)).to.equal(1);
  });
});
