"""The bare Flask app the HTTP benchmark compares against: one JSON hello, nothing else."""
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def hello():
    """Answer a tiny JSON body."""
    return jsonify({"hello": "world"})
