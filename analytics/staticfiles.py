"""Where plotly.js lives: the basic bundle (bar and scatter traces, the only ones the charts draw).

The file is npm's `plotly.js-basic-dist-min`, of the same plotly.js version as the one the installed
plotly package writes its figures for (`make vendor-plotly` copies it from node_modules, with its
licence); it is an app static file of analytics, so the charts need no outside network.
"""

from pathlib import Path

PLOTLY_STATIC_PATH = "plotly/plotly-basic.min.js"
PLOTLY_FILE = Path(__file__).resolve().parent / "static" / PLOTLY_STATIC_PATH
