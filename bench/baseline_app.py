"""The baseline of bench/web_load.py: a bare Starlette app with one JSON endpoint.

Usage: python bench/baseline_app.py [--host 127.0.0.1] --port P

It runs under uvicorn exactly as `sciatica serve` runs the app: one worker, the default ("auto")
event loop and HTTP parser (uvloop and httptools when installed), no access log, no proxy headers.
So the only difference the benchmark sees is the app itself.
"""

import argparse
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def status(request: Request) -> JSONResponse:
    """A small JSON answer, the least an endpoint can do."""
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/status", status)])


def main(argv: list[str] | None = None) -> int:
    """Serve the bare app until stopped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, required=True, help="port to listen on")
    args = parser.parse_args(argv)
    uvicorn.run(
        app, host=args.host, port=args.port, workers=1, log_level="warning", proxy_headers=False
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
