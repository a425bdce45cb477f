/**
 * The kernel side of the library: what notebook cells import from "spikelab" to show things, and the
 * host contract the runtime and the plot helpers use. The kernel process itself starts from main.ts.
 */
export { getKernelHost, setKernelHost, type KernelHost, type MimeBundle } from "./host.js";
export {
  display,
  updateDisplay,
  toMimeBundle,
  isDisplayable,
  isVegaLiteSpec,
  VEGA_LITE_V5_MIME,
  type Displayable,
} from "./display.js";
