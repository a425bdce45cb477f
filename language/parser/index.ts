export { SpikelabParser, spikelabParser, MAX_SYNTAX_ERRORS, type SoftError } from "./parser.js";
export { closestBlockKeyword } from "./recovery.js";
export { describeToken } from "./messages.js";
