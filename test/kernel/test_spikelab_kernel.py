"""Jupyter's own protocol tests (Debian's python3-jupyter-kernel-test) against the Spikelab kernel.

Run with Debian's Python and JUPYTER_PATH pointing at a folder holding the installed kernelspec:
    node dist/cli/main.js kernel install --prefix /tmp/p
    JUPYTER_PATH=/tmp/p/share/jupyter /usr/bin/python3 test/kernel/test_spikelab_kernel.py -v
(test/kernel/jupyter-kernel-test.test.ts does exactly this from vitest.)
"""
import unittest

import jupyter_kernel_test


class SpikelabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "spikelab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("oops")'

    completion_samples = [
        {"text": "Math.ab", "matches": {"abs"}},
        {"text": "const zzzUniqueName = 1;\nzzzUniq", "matches": {"zzzUniqueName"}},
    ]
    complete_code_samples = ["1 + 1", "const x = 1;", "function f() {\n  return 1;\n}", "%%model\nmodel m:\n    state:\n        V mV = 0 mV\n"]
    incomplete_code_samples = ["function f() {", "const y = (1 +", "const s = `abc", "%%model\nmodel m:"]
    invalid_code_samples = ["let = = 3;", "const x = );"]

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "'a' + 'b'", "result": "'ab'"},
        {"code": "[1, 2, 3].map((x) => x * 2)", "result": "[ 2, 4, 6 ]"},
    ]
    code_display_data = [
        {"code": 'display({ data: { "text/html": "<b>x</b>" } })', "mime": "text/html"},
        {
            "code": 'display({ $schema: "https://vega.github.io/schema/vega-lite/v5.json", '
            'data: { values: [{ x: 1, y: 2 }] }, mark: "point", '
            'encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } })',
            "mime": "application/vnd.vegalite.v5+json",
        },
        {"code": 'import * as tslab from "tslab";\ntslab.display.markdown("**md**")', "mime": "text/markdown"},
    ]

    code_history_pattern = "6 * 7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"
    code_clear_output = "clearOutput()"


if __name__ == "__main__":
    unittest.main()
