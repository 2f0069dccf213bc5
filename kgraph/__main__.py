from kgraph.cli import app

app(prog_name="kgraph")
