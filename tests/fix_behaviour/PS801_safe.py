"""PS801, safe: a loop over a copy of a fresh value, or of a local list the loop leaves alone."""
import json


def main():
    rows = json.loads("[5, 3, 8, 1]")
    for value in list(sorted(rows)):
        print(value)
    evens = [r for r in rows if r % 2 == 0]
    for value in list(evens):
        print(value, len(evens))
    seen = set(rows)
    for value in list(seen):
        print(value in seen)
    total = 0
    for value in list([r * 2 for r in rows]):
        total += value
    print(total)


main()
