/**
 * The kernel side of the library: what notebook cells import from "spikelab" to show things (charts
 * from kernel/plot, display, progress), and the host contract the runtime uses. The kernel process
 * itself starts from main.ts.
 *
 * kernel/plot has its own display helpers; the ones below take precedence (explicit exports shadow
 * `export *`): they accept any value (bundles, Vega-Lite specs, `_repr_mimebundle_`) and let the kernel
 * wait for un-awaited displays.
 */
export * from "./plot/index.js";
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
