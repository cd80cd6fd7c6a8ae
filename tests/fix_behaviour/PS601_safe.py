"""PS601, safe: a file's lines iterated straight from the file, in a loop and a comprehension."""
import os
import tempfile

TEXT = "alpha beta\n\ngamma  delta epsilon\nlast line, no newline"


def count_words(path):
    words = 0
    with open(path) as fh:
        for line in fh.readlines():
            words += len(line.split())
            print(repr(line))
    return words


def lengths(path):
    with open(path, encoding="utf-8") as fh:
        return [len(line) for line in fh.readlines()]


def main():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "data.txt")
        with open(path, "w") as out:
            out.write(TEXT)
        print(count_words(path))
        print(lengths(path))


main()
