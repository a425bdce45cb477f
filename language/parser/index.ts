export { SpikelabParser, spikelabParser, type SoftError } from "./parser.js";
export { describeToken } from "./messages.js";
