"""PS602, safe: sum, min and max over a comprehension that calls only builtins."""
import json

ROWS = json.loads('[{"n": 3, "tag": "b"}, {"n": -1, "tag": "aa"}, {"n": 4, "tag": "c"}]')


def main():
    rows = json.loads(json.dumps(ROWS))
    print(sum([r["n"] * 2 for r in rows]))
    print(min([abs(r["n"]) for r in rows if r["n"] > 0]))
    print(max([len(r["tag"]) for r in rows]))
    print(min([r["tag"] for r in rows], key=len))
    print(sum([len(str(r)) for r in rows]))


main()
