/** The stage texts and the language rules live in common/stages.ts (one vocabulary for every part). */
export * from "../../../common/stages.js";
