"""PS802, unsafe: a receiver of unknown type, or a nested pattern dropped with the value."""
import json


def keys_of(mapping):
    for key, value in mapping.items():
        print(key)


def main():
    pairs = json.loads('{"a": [1, 2], "b": [3, 4]}')
    keys_of(pairs)
    nested = {key: tuple(value) for key, value in pairs.items()}
    for key, (low, high) in nested.items():
        print(key)


main()
