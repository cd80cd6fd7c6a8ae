"""PS603, unsafe: list(x)[0] of a dict's view becomes next(iter(x)) (StopIteration when empty)."""
import json


def main():
    counts = json.loads('{"b": 2, "a": 1, "c": 3}')
    print(list(counts.values())[0])
    print(list(counts)[0])
    print(list(counts.items())[0])


main()
