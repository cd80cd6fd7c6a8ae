"""A program whose hot function is known, for the sampler test: `hot_pairs` takes the time."""


def hot_pairs(left, right):
    count = 0
    for a in left:
        for b in right:
            if (a * b) % 7 == 3:
                count += 1
    return count


def cold_triples(xs, ys, zs):
    hits = 0
    for x in xs:
        for y in ys:
            for z in zs:
                if x + y == z:
                    hits += 1
    return hits


def main():
    cold_triples([1, 2], [3], [4])
    return hot_pairs(range(2000), range(1500))


if __name__ == "__main__":
    main()
