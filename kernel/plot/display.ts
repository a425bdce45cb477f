/**
 * `display(x)` is implemented once, in `kernel/display.ts` (it accepts charts, ready bundles, bare
 * Vega-Lite specs and IPython-style `_repr_mimebundle_` objects, and lets the kernel wait for a display
 * that was not awaited). Charts plug into it through `toMimeBundle()`; this module only re-exports it so
 * `kernel/plot` users find everything in one place.
 */
export { display, updateDisplay, toMimeBundle, isDisplayable, type Displayable } from "../display.js";
