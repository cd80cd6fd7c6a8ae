"""PS805, unsafe: a new list filled inside a try (the handler could see it half-filled)."""
import json


def main():
    rows = json.loads('["x", "y", "z"]')
    try:
        copy = []
        for r in rows:
            copy.append(r)
    except TypeError:
        copy = None
    print(copy)


main()
