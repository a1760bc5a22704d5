#!/usr/bin/env python3
"""Generates the sidecar test vectors with Python itself, so the Java tests need no Python.

The Python model service computes
    feature_list_checksum = sha256(json.dumps(feature_list, separators=(",", ":")).encode("utf-8")).hexdigest()
(ensure_ascii left at its default True) and
    artifact_sig = hmac.new(key.encode("utf-8"), artifact_bytes, hashlib.sha256).hexdigest()
This script records inputs and outputs of exactly those expressions.

Run once from the project root and commit the output:
    python3 src/test/python/generate_vectors.py
Writes src/test/resources/sidecar-vectors/checksums.json, hmac.json and sidecar-files.json.
All output is pure ASCII (json ensure_ascii), so lone surrogates survive as \\udXXX escapes.
"""
import hashlib
import hmac
import json
import os
import random
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "sidecar-vectors")


def checksum(features):
    return hashlib.sha256(json.dumps(features, separators=(",", ":")).encode("utf-8")).hexdigest()


CASES = [
    ("ascii", ["age", "income", "zip_code", "num_purchases_30d"]),
    ("single", ["x"]),
    ("latin1", ["caf\u00e9", "na\u00efve", "\u00fcber", "\u00a3", "\u00ff"]),
    ("cjk", ["\u5e74\u9f62", "\u53ce\u5165", "\u90f5\u4fbf\u756a\u53f7", "\ud55c\uad6d\uc5b4"]),
    ("emoji-astral", ["\U0001F600", "score_\U0001F680", "\U0001D11E", "\U00010000", "\U0010FFFF"]),
    ("quotes-backslashes", ["say \"hi\"", "C:\\path\\to", "\\", "\"", "'single'", "/slash/"]),
    ("control-named", ["line\nbreak", "tab\there", "cr\rlf", "back\bspace", "form\ffeed"]),
    ("control-other", ["\x00", "\x01\x02\x1f", "\x0b", "\x1b[0m", "nul\x00inside"]),
    ("del-and-c1", ["\x7f", "\x80", "\x9f", "\u00a0"]),
    ("unicode-separators", ["\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff"]),
    ("empty-strings", ["", "a", " "]),
    ("only-empty", [""]),
    ("whitespace-names", [" age", "income ", "\tzip"]),
    ("json-looking", ["[1,2]", "{\"a\":1}", "null", "true", "1e5"]),
    ("lone-surrogates", ["\ud800", "\udfff", "a\udc00b", "\ud83d"]),
    ("mixed", ["f\u00e9ature \"\U0001F600\"\n\\\x00\u5e74"]),
]


def many_features(count, seed):
    """Deterministic mix of ASCII and non-ASCII names so the 10,000-feature case covers every branch."""
    rng = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyz_0123456789\u00e9\u00df\u5e74\u0416\"\\\n\t\x01\x7f\U0001F600"
    names = []
    for i in range(count):
        extra = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        names.append("feature_%05d_%s" % (i, extra))
    return names


def pattern(length):
    """Artifact bytes the Java test regenerates: byte i is (i * 31 + 7) mod 256."""
    return bytes((i * 31 + 7) % 256 for i in range(length))


def main():
    os.makedirs(OUT, exist_ok=True)
    vectors = []
    for name, features in CASES:
        vectors.append({"name": name, "feature_list": features,
                        "dumps": json.dumps(features, separators=(",", ":")), "sha256": checksum(features)})
    big = many_features(10000, 20261125)
    vectors.append({"name": "ten-thousand", "feature_list": big, "sha256": checksum(big)})
    with open(os.path.join(OUT, "checksums.json"), "w", encoding="ascii") as f:
        json.dump({"python": sys.version.split()[0], "vectors": vectors}, f, indent=1)
        f.write("\n")

    keys = ["k", "0123456789abcdef0123456789abcdef", "short-key",
            "cl\u00e9-secr\u00e8te-\u5bc6\u94a5-\U0001F511-0123456789", " spaces around "]
    lengths = [0, 1, 63, 64, 65, 4096, 1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024 + 17]
    hmacs = []
    for key in keys:
        for length in lengths:
            hmacs.append({"key": key, "length": length,
                          "hmac": hmac.new(key.encode("utf-8"), pattern(length), hashlib.sha256).hexdigest()})
    # Sparse artifacts read as zeros: HMAC over 2 GiB + 7 and 256 MiB + 7 zero bytes, streamed in 1 MiB chunks.
    sparse_key = keys[1]

    def zeros_hmac(length):
        mac = hmac.new(sparse_key.encode("utf-8"), digestmod=hashlib.sha256)
        chunk = bytes(1024 * 1024)
        remaining = length
        while remaining:
            n = min(remaining, len(chunk))
            mac.update(chunk[:n])
            remaining -= n
        return mac.hexdigest()

    sparse = [{"key": sparse_key, "length": length, "zeros": True, "hmac": zeros_hmac(length)}
              for length in (2 * 1024 ** 3 + 7, 256 * 1024 ** 2 + 7)]
    with open(os.path.join(OUT, "hmac.json"), "w", encoding="ascii") as f:
        json.dump({"python": sys.version.split()[0], "pattern": "byte i = (i * 31 + 7) mod 256",
                   "vectors": hmacs,
                   "sparse": sparse},
                  f, indent=1)
        f.write("\n")

    # How the service writes whole sidecars, for the sign goal's formatting: indent=2 and compact.
    sidecar = {"name": "churn", "version": "3", "notes": "caf\u00e9 \"v3\"", "feature_list": ["age", "r\u00e9gion"],
               "feature_list_checksum": checksum(["age", "r\u00e9gion"]), "mlflow_run_id": None,
               "extra": {"n": 1, "ok": True, "xs": [1, 2.5], "empty": [], "obj": {}}}
    files = {"indent2": json.dumps(sidecar, indent=2), "indent4": json.dumps(sidecar, indent=4),
             "compact-default": json.dumps(sidecar)}
    with open(os.path.join(OUT, "sidecar-files.json"), "w", encoding="ascii") as f:
        json.dump({"python": sys.version.split()[0], "files": files}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
