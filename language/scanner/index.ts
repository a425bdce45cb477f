export { scan, tokenRange, docCommentAbove, type ScanResult } from "./scan.js";
export { decodeSource, MAX_SOURCE_LENGTH, type DecodedSource } from "./source-text.js";
export { keywordTokens, parserTokens } from "./tokens.js";
