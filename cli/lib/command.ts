/**
 * The glue between commander and the commands in cli/commands/: what a command's action gets
 * (the terminal, the station loaded on demand) and option parsers that refuse a bad value as a
 * usage mistake (exit 2, with the command's usage) before anything is read or sent.
 */
import { InvalidArgumentError } from "commander";

import { type CliIo, type Ctx, parseC, parseId } from "./context.js";
import { UserError, loadStationConfig } from "./station-client.js";

export type Deps = {
  io: CliIo;
  /** The station's config and the terminal, loaded at the first call (a command that needs no chain never loads it). */
  ctx(): Promise<Ctx>;
  /** The exit code when the command ends without an error: set to 1 for a negative answer (`verify`). */
  code: number;
};

export function newDeps(io: CliIo): Deps {
  let loaded: Promise<Ctx> | undefined;
  return {
    io,
    ctx: () => (loaded ??= loadStationConfig(io.env).then((config) => ({ ...io, config }))),
    code: 0,
  };
}

/** A parser for commander: a UserError from `parse` becomes commander's "invalid argument" (exit 2). */
export function parser<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (error) {
      if (error instanceof UserError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

export const idArg = (what: string) => parser((text) => parseId(text, what));
export const amountArg = (what: string) => parser((text) => parseC(text, what));

/** One of `choices` (case as typed), or a usage error naming them. */
export function oneOf<const T extends string>(choices: readonly T[], what: string, fold = (s: string) => s) {
  return parser((text): T => {
    const value = fold(text);
    if (!(choices as readonly string[]).includes(value))
      throw new UserError(`${what} must be one of ${choices.join(", ")}`);
    return value as T;
  });
}

/** For a repeatable option (`--attach a --attach b`). */
export const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
