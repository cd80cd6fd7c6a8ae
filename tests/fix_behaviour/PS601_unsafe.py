"""PS601, unsafe: the loop leaves early, or the file object's type is not known."""
import io
import os
import tempfile


def first_blank(path):
    with open(path) as fh:
        for line in fh.readlines():
            if not line.strip():
                break
            print("before the blank:", line.rstrip())


def shout(stream):
    for line in stream.readlines():
        print(line.upper(), end="")


def main():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "data.txt")
        with open(path, "w") as out:
            out.write("one\ntwo\n\nthree\n")
        first_blank(path)
        with open(path) as fh:
            shout(fh)
    shout(io.StringIO("in\nmemory\n"))


main()
