"""PS805, safe: a copy of every item into a new list, or onto the end of an existing one."""
import json


def main():
    rows = json.loads('["x", "y", "z"]')
    copy = []
    for r in rows:
        copy.append(r)
    print(copy, copy is rows)
    log = ["start"]
    print(len(log))
    for r in rows:
        log.append(r)
    print(log)


main()
