/** The shape of a help article as shipped in the repository (the seed; see ./articles.ts). */
import type { ClaimKind } from "../indexer/reader.js";
import type { Language } from "../claims/i18n.js";

export type HelpText = {
  title: string;
  /** The one step to take. */
  answer: string;
  details: string;
  /** Words people search with that the text may not contain; searched, never shown. */
  keywords: string;
};

export type HelpArticle = {
  slug: string;
  /** Link to the claim flow: with a kind preselected, or the generic flow (kind null); null for no link. */
  claim: { kind: ClaimKind | null } | null;
  texts: Record<Language, HelpText>;
};
