/** The one reading of a `--deadline` (common/deadline.ts), shared by both incident commands. */
import { expect } from "chai";

import { deadlineAt, parseDeadline } from "../../common/deadline.js";

describe("common/deadline.ts", function () {
  it("reads deadlines as days, hours or minutes ahead, unix seconds, or ISO dates", function () {
    expect(parseDeadline("+30d")).to.deep.equal({ relativeSeconds: 30 * 86_400 });
    expect(parseDeadline("+6h")).to.deep.equal({ relativeSeconds: 6 * 3_600 });
    expect(parseDeadline("+45m")).to.deep.equal({ relativeSeconds: 45 * 60 });
    expect(parseDeadline("1900000000")).to.deep.equal({ at: 1_900_000_000 });
    expect(parseDeadline("2030-01-02T03:04:05Z")).to.deep.equal({ at: 1_893_553_445 });
  });

  it("counts a relative deadline from the given now, an absolute one as given", function () {
    expect(deadlineAt(parseDeadline("+2d"), 1_000)).to.equal(1_000 + 2 * 86_400);
    expect(deadlineAt(parseDeadline("1900000000"), 1_000)).to.equal(1_900_000_000);
  });

  it("refuses anything else, saying what it expects", function () {
    for (const text of ["soon", "+3w", "-1d", "+d", ""]) {
      expect(() => parseDeadline(text), text).to.throw(/--deadline must be \+<n>d, \+<n>h, \+<n>m, unix seconds/);
    }
  });
});
