"""PS603, safe: the first element, or the first few, of something already a list or a str."""
import json


def main():
    text = str(json.loads('"the quick brown fox"'))
    words = text.split()
    print(list(words)[0])
    print(list(words)[:2])
    print([*words][0])
    print(list(text)[0])
    blank = json.loads('" "').split()
    try:
        print(list(blank)[0])
    except IndexError as error:
        print("IndexError:", error)


main()
