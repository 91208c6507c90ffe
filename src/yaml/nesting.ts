/**
 * Deepest nesting of collections we compose. The yaml composer recurses once per level; near the
 * end of the stack V8 can die with a fatal "RegExpCompiler Allocation failed" instead of throwing
 * (seen with a few thousand `[` followed by another deep file), which no try/catch can stop. Real
 * CI files nest a few dozen levels at most.
 */
export const MAX_NESTING = 256;
