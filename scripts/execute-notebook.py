"""Executes one notebook headlessly with nbclient and writes the executed copy.

Usage: /usr/bin/python3 scripts/execute-notebook.py IN.ipynb OUT.ipynb [--kernel spikelab] [--timeout SECONDS]

Run with Debian's /usr/bin/python3 (it has nbclient/nbformat); JUPYTER_PATH must reach the Spikelab
kernelspec. The kernel's working directory is the notebook's own folder. Cells tagged `raises-exception`
may fail (nbclient's convention); any other error stops execution. The executed notebook is written
even when a cell fails, so the error can be read in it. Prints one JSON line with the outcome.
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main(argv):
    args, opts, i = [], {}, 0
    while i < len(argv):
        if argv[i].startswith("--") and i + 1 < len(argv):
            opts[argv[i]] = argv[i + 1]
            i += 2
        else:
            args.append(argv[i])
            i += 1
    src, dst = args[0], args[1]
    kernel = opts.get("--kernel", "spikelab")
    timeout = int(opts.get("--timeout", "900"))

    started = time.time()
    retries = 0
    while True:
        nb = nbformat.read(src, as_version=4)
        client = NotebookClient(
            nb,
            kernel_name=kernel,
            timeout=timeout,
            startup_timeout=120,
            allow_errors=False,
            record_timing=True,
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
        )
        failure = None
        try:
            client.execute()
        except CellExecutionError as e:
            failure = str(e)
        except Exception as e:  # kernel died, timeout, ...
            failure = "%s: %s" % (type(e).__name__, e)
        # A kernel that dies before it answers (e.g. a port taken between choosing and binding it on a
        # busy machine) ran none of the notebook: start it again, at most twice, and say so.
        started_cells = any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code")
        if failure and "before replying to kernel_info" in failure and not started_cells and retries < 2:
            retries += 1
            sys.stderr.write("kernel failed to start (%s); retrying\n" % failure)
            continue
        break
    seconds = time.time() - started
    nbformat.write(nb, dst)

    errors = []
    for index, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and "raises-exception" not in tags:
                errors.append({"cell": index, "ename": out.get("ename"), "evalue": out.get("evalue")})
    print(json.dumps({
        "notebook": src,
        "output": dst,
        "seconds": round(seconds, 2),
        "cells": len(nb.cells),
        "errors": errors,
        "kernel_start_retries": retries,
        "failure": failure[-4000:] if failure else None,
    }))
    return 0 if failure is None and not errors else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
