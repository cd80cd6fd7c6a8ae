"""PS804, unsafe: a try could see the list half-filled; a module-level loop that calls.

No row is 0 here: with a 0, the loop leaves the first items in `inverses` when 12 / 0 raises,
and the comprehension leaves `inverses` unbound, which is why this fix is unsafe.
"""
import json

ROWS = json.loads("[4, -2, 7, 5, 3]")
labels = []
for r in ROWS:
    labels.append(str(r).rjust(3))
print(labels)


def main():
    rows = json.loads(json.dumps(ROWS))
    try:
        inverses = []
        for r in rows:
            inverses.append(round(12 / r, 2))
    except ZeroDivisionError:
        print("division by zero")
    print(inverses)


main()
