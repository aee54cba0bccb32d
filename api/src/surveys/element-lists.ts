type Json = Record<string, unknown>;

/**
 * SurveyJS accepts `questions` as an alias of `elements` on pages and panels (older definitions and
 * some Creator versions write it). Everything on the server that walks a definition (the
 * validator's split by rules, the catalogue's name checks) reads `elements` only, so a definition
 * is brought into that one form first. survey-core builds the same model from either spelling.
 * Returns a copy; the input is not changed.
 */
export function withElementsAlias(definition: Json): Json {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node !== 'object' || node === null) return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'questions' || key === 'elements') && Array.isArray(value)) {
        // Both given: survey-core keeps whichever comes last in the JSON.
        out.elements = visit(value);
      } else {
        out[key] = visit(value);
      }
    }
    return out;
  };
  return visit(definition) as Json;
}
