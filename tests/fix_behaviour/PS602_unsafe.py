"""PS602, unsafe: any/all stop at the deciding element; sum over a call of the program's own,
max over a method of a value of unknown type (it might see how far max got)."""
import json


def weight(row):
    return row["n"] * 10


def main():
    rows = json.loads('[{"n": 3, "tag": "b"}, {"n": -1, "tag": "aa"}, {"n": 4, "tag": "c"},'
                      ' {"n": 0, "tag": "d"}]')
    print(any([r["n"] < 0 for r in rows]))
    print(all([r["n"] > -5 for r in rows]))
    print(sum([weight(r) for r in rows]))
    print(max([r["tag"].upper() for r in rows]))


main()
