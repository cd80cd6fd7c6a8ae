"""PS804, safe: a list filled by a loop in a function, and at module level calling nothing."""
import json

ROWS = json.loads("[4, -2, 7, 0, 3]")
squares = []
for r in ROWS:
    squares.append(r * r)
print(squares)


def main():
    rows = json.loads(json.dumps(ROWS))
    doubled = []
    for r in rows:
        if r > 0:
            doubled.append(r * 2)
    print(doubled)
    labels = []
    for index, r in enumerate(rows):
        labels.append(f"{index}:{abs(r)}")
    print(labels)


main()
