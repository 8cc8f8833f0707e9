/** The routing argument of every municipal root field. */
export const MUNICIPALITY_ARG = {
  nullable: true,
  description: "Kommunkod of the municipality to address. Default: the caller's own (from the token). Only some roles may name another.",
} as const;
