"""PS802, safe: a dict's items() where the loop uses only the keys, or only the values."""
import json


def main():
    words = json.loads('"pear fig apple fig kiwi"').split()
    sizes = {word: len(word) for word in words}
    for word, _ in sizes.items():
        print(word)
    total = 0
    for word, size in sizes.items():
        total += size
    print(total)
    for word, size in sizes.items():
        print(word.upper())


main()
